using System.Collections.Concurrent;
using IclPrune.Models;
using IclPrune.Pruning;

namespace IclAssertions.Models;

/// <summary>
/// One loaded checkpoint per (model, device, dtype) for the whole test process. Loading a 7B checkpoint takes
/// minutes, so every test that names the same model shares one copy; tests that share it take turns (a lease is an
/// exclusive lock on that model, since pruning changes its weights in place), tests on other models run in parallel.
/// Each cached model owns one <see cref="Pruner"/>, so the SVD of a matrix is computed once per process however
/// many rates the suite tries on it. Models are disposed when the process exits.
/// </summary>
public static class ModelCache
{
    static readonly ConcurrentDictionary<string, Lazy<CachedModel>> Models = new();

    static ModelCache() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var entry in Models.Values.Where(l => l.IsValueCreated))
        {
            entry.Value.Pruner.Dispose();
            entry.Value.Model.Dispose();
        }
    };

    /// <summary>Waits for exclusive use of the model, loading it first if this process has not yet.</summary>
    public static async Task<ModelLease> AcquireAsync(string idOrPath, ModelLoadOptions options, CancellationToken cancellation = default)
    {
        string key = $"{idOrPath}|{options.ResolvedDevice}|{ModelLoadOptions.DTypeName(options.DType)}";
        var lazy = Models.GetOrAdd(key, _ => new Lazy<CachedModel>(
            () => new CachedModel(ModelResolver.Load(idOrPath, options)), LazyThreadSafetyMode.ExecutionAndPublication));
        CachedModel cached;
        try
        {
            cached = lazy.Value;
        }
        catch
        {
            Models.TryRemove(new KeyValuePair<string, Lazy<CachedModel>>(key, lazy)); // let a later test retry the load
            throw;
        }
        await cached.Gate.WaitAsync(cancellation);
        return new ModelLease(cached.Model, cached.Pruner, cached.Gate);
    }

    /// <summary>How many distinct models this process has loaded (for tests of the cache itself).</summary>
    public static int LoadedCount => Models.Values.Count(l => l.IsValueCreated);

    sealed record CachedModel(LoadedModel Model)
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public Pruner Pruner { get; } = new(Model.Model.NamedParameters);
    }
}

/// <summary>Exclusive use of a cached model until disposed.</summary>
public sealed class ModelLease : IDisposable
{
    SemaphoreSlim? _gate;

    internal ModelLease(LoadedModel model, Pruner pruner, SemaphoreSlim gate)
    {
        Model = model;
        Pruner = pruner;
        _gate = gate;
    }

    public LoadedModel Model { get; }

    /// <summary>The model's pruner: apply a plan in a `using` scope, which restores the original weights bit for bit.</summary>
    public Pruner Pruner { get; }

    public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
}
