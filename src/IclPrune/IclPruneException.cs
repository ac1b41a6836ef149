namespace IclPrune;

/// <summary>
/// A problem with the user's input (a file, a field, a value) that the user can fix. The CLI maps it once to a
/// red one-line message and exit code 1; its message must name the file/field/value and what was expected.
/// </summary>
public class IclPruneException : Exception
{
    public IclPruneException(string message) : base(message) { }
    public IclPruneException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A command line that names something invalid (a prune spec, a layer, a target): exit code 2.</summary>
public sealed class UsageException : IclPruneException
{
    public UsageException(string message) : base(message) { }
}
