namespace IclPrune.Tests.Fuzz;

/// <summary>
/// The fuzz suite's one rule for every reader: a malformed input must be rejected with an <see cref="IclPruneException"/>
/// (the error the CLI turns into a one-line message and exit 1). Anything else fails the case: another exception is a
/// crash, a returned value is a silent success, and no answer within <see cref="HangLimit"/> is a hang. The limit is a
/// guard against a stuck reader, not a performance assertion: each case takes milliseconds.
/// </summary>
internal static class FuzzOutcome
{
    public static readonly TimeSpan HangLimit = TimeSpan.FromMinutes(1);

    public static IclPruneException ExpectRejected(Func<object?> read, string? mustName = null)
    {
        var (value, error) = Run(read, "");
        if (error is null)
            Assert.Fail($"silent success: the malformed input was accepted ({value?.GetType().Name ?? "null"})");
        if (error is not IclPruneException rejected)
        {
            Assert.Fail($"crash: {error!.GetType().Name}: {error.Message}\n{error.StackTrace}");
            throw new InvalidOperationException("unreachable");
        }
        if (mustName is not null)
            Assert.That(rejected.Message, Does.Contain(mustName), "the error names the input");
        return rejected;
    }

    /// <summary>For a mutation that may still be valid input (a flipped byte inside a string value): a value or a
    /// clear error are both fine; a crash or a hang is not. Returns true when it was rejected.</summary>
    public static bool ExpectValueOrRejected(Func<object?> read, string what)
    {
        var (_, error) = Run(read, $" on {what}");
        if (error is not null and not IclPruneException)
            Assert.Fail($"crash on {what}: {error.GetType().Name}: {error.Message}\n{error.StackTrace}");
        return error is not null;
    }

    public static void ExpectRejected(Action read, string? mustName = null) =>
        ExpectRejected(() => { read(); return null; }, mustName);

    /// <summary>Runs the reader off the test thread, fails the case on a hang, disposes what it returned.</summary>
    static (object? Value, Exception? Error) Run(Func<object?> read, string where)
    {
        Exception? error = null;
        object? value = null;
        var run = Task.Run(() =>
        {
            try { value = read(); }
            catch (Exception e) { error = e; }
        });
        if (!run.Wait(HangLimit))
            Assert.Fail($"hang{where}: no answer within {HangLimit}");
        if (value is IDisposable disposable) disposable.Dispose();
        return (value, error);
    }
}
