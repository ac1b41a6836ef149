using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace IclPrune.Runtime;

/// <summary>
/// Brings libtorch into the process once, from the backend's package or from a folder the user names
/// (<c>--libtorch DIR</c> / <c>ICL_PRUNE_LIBTORCH</c>), and proves it works with a tiny op.
/// </summary>
public static class TorchRuntime
{
    public const string LibTorchEnvironmentVariable = "ICL_PRUNE_LIBTORCH";

    // Load order matters: each library must find the ones it links (by soname) already in the process, since an
    // outside folder is not on the loader's search path. CUDA libraries are optional (a CPU PyTorch lacks them).
    static readonly (string File, bool Required)[] LibTorchLibraries =
    [
        ("libc10.so", true), ("libc10_cuda.so", false), ("libtorch_cpu.so", true),
        ("libtorch_cuda.so", false), ("libtorch.so", true),
    ];

    static readonly object Gate = new();
    static string? _externalFolder;
    static bool _initialized;

    /// <summary>The backend this build was made for (cpu, cuda or external), from build/TorchBackend.props.</summary>
    public static string Backend =>
        typeof(TorchRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "TorchBackend")?.Value ?? "unknown";

    /// <summary>The folder libtorch was loaded from when the user named one; null for the packaged libtorch.</summary>
    public static string? ExternalFolder => _externalFolder;

    /// <summary>
    /// Loads libtorch (from <paramref name="libtorchFolder"/>, else ICL_PRUNE_LIBTORCH, else the packaged one)
    /// and runs a 2x2 matmul. Safe to call many times; the folder of the first successful call wins.
    /// </summary>
    public static void EnsureInitialized(string? libtorchFolder = null)
    {
        lock (Gate)
        {
            string? folder = libtorchFolder ?? NullIfEmpty(Environment.GetEnvironmentVariable(LibTorchEnvironmentVariable));
            if (folder is not null)
            {
                CheckFolder(folder);
                // A cpu/cuda build loads its packaged libtorch by full path; a second libtorch from another folder
                // in the same process aborts in native code (duplicate dispatcher registrations), so refuse it here.
                if (Backend != "external")
                    throw new TorchUnavailableException(
                        $"this build bundles libtorch (backend {Backend}), so a libtorch folder ('{folder}', from --libtorch or " +
                        $"{LibTorchEnvironmentVariable}) cannot be used; build with -p:TorchBackend=external (docs/backends.md).");
            }
            if (_initialized)
            {
                // A process can hold one libtorch: asking for another folder afterwards must not pass silently.
                if (folder is not null && Path.GetFullPath(folder) != _externalFolder)
                    throw new TorchUnavailableException(
                        $"libtorch is already loaded from {_externalFolder ?? "the packaged libtorch"}; cannot switch to '{folder}' in the same process.");
                return;
            }
            if (folder is not null) LoadFromFolder(folder);
            else if (Backend == "external")
                throw new TorchUnavailableException(
                    $"this build uses the external torch backend: name a libtorch folder with --libtorch DIR or {LibTorchEnvironmentVariable} " +
                    "(e.g. <site-packages>/torch/lib of a PyTorch 2.10 install).");
            ProveTorchWorks(folder);
            _externalFolder = folder is null ? null : Path.GetFullPath(folder);
            _initialized = true;
        }
    }

    static void CheckFolder(string folder)
    {
        if (!Directory.Exists(folder))
            throw new TorchUnavailableException($"libtorch folder '{folder}' does not exist.");
        foreach (var (file, _) in LibTorchLibraries.Where(l => l.Required))
        {
            if (!File.Exists(Path.Combine(folder, file)))
                throw new TorchUnavailableException(
                    $"libtorch folder '{folder}' has no {file}: expected libc10.so, libtorch_cpu.so and libtorch.so " +
                    "(the lib folder of a libtorch or PyTorch 2.10 install).");
        }
    }

    static void LoadFromFolder(string folder)
    {
        foreach (var (file, _) in LibTorchLibraries)
        {
            string path = Path.GetFullPath(Path.Combine(folder, file));
            if (!File.Exists(path)) continue;  // an optional CUDA library; CheckFolder vouched for the required ones
            try { NativeLibrary.Load(path); }
            catch (DllNotFoundException e)
            {
                throw new TorchUnavailableException($"could not load {path}: {e.Message}", e);
            }
        }
    }

    static void ProveTorchWorks(string? folder)
    {
        try
        {
            using var scope = torch.NewDisposeScope();
            var product = torch.ones(2, 2).matmul(torch.ones(2, 2));
            if (product.sum().item<float>() != 8f)
                throw new TorchUnavailableException("libtorch loaded but a 2x2 matmul gave a wrong result.");
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException or EntryPointNotFoundException or ExternalException)
        {
            string where = folder is null ? "the packaged libtorch" : $"libtorch from '{folder}'";
            throw new TorchUnavailableException(
                $"TorchSharp could not start with {where}: {Innermost(e).Message} " +
                "(run `dotnet icl-prune doctor` for the libstdc++ check and what was loaded).", e);
        }
    }

    static Exception Innermost(Exception e) => e.InnerException is null ? e : Innermost(e.InnerException);
    static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
