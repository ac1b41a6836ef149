namespace IclPrune.Search;

/// <summary>
/// A lock that a live process holds: the one refusal worth waiting out (<see cref="JournalLock.AcquireWaiting"/>).
/// A lock file that cannot be created, or holders that keep taking each other over, are other failures.
/// </summary>
public sealed class LockHeldException(string message) : IclPruneException(message);
