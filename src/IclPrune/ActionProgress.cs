namespace IclPrune;

/// <summary>
/// IProgress that reports synchronously on the caller's thread (System.Progress posts to the thread pool, so lines
/// could arrive after the command has printed its result).
/// </summary>
public sealed class ActionProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
