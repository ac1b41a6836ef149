using System.Diagnostics;
using System.Text.Json;

namespace IclPrune.Search;

/// <summary>
/// Makes one process the only writer of a journal (a sweep's, a demo's, one shard's) or of a merge, also across the
/// machines of a cluster sharing the output folder over NFS or Lustre, where flock/fcntl locks are unreliable or off.
/// The lock is a file beside what it guards, created with O_CREAT|O_EXCL (atomic on NFSv3+ and Lustre), holding the
/// holder's host, pid, process start time and a random token. While held, a timer touches its modification time
/// (the heartbeat) and checks the token is still ours.
/// A lock is stale, and is taken over, when its holder is on this host and that pid is gone (or is a newer process with
/// the same pid, or is this very process: a container restarted with the same hostname and pid), or, for a holder on
/// another host whose pid cannot be checked, when its heartbeat is older than <see cref="StaleAfter"/> (the hosts'
/// clocks must agree within minutes, as NTP keeps them). A takeover renames the stale file to a unique name first,
/// so of two processes taking over at once only one gets it; the loser sees the winner's fresh lock and refuses.
/// docs/scale-out.md explains the choice.
/// </summary>
public sealed class JournalLock : IDisposable
{
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);

    // Locks this process holds: its own pid in a lock file means "held here" for these, "an earlier process" otherwise.
    static readonly HashSet<string> HeldHere = new();

    readonly LockHolder _me;
    readonly Timer _timer;
    volatile string? _lostTo;

    JournalLock(string path, LockHolder me)
    {
        Path = path;
        _me = me;
        lock (HeldHere) HeldHere.Add(path);
        _timer = new Timer(_ => Renew(), null, Heartbeat, Heartbeat);
    }

    public string Path { get; }

    /// <summary>The stale holder this lock replaced and why it was stale (null: the lock was free).</summary>
    public string? TookOver { get; private init; }

    /// <summary>What guards <paramref name="guarded"/>: the same path with ".lock" added.</summary>
    public static string PathFor(string guarded) => guarded + ".lock";

    /// <summary>Takes the lock of <paramref name="guarded"/>, or throws naming the live holder.</summary>
    public static JournalLock Acquire(string guarded, string purpose)
    {
        string path = System.IO.Path.GetFullPath(PathFor(guarded));
        var me = LockHolder.ThisProcess();
        string? tookOver = null;
        for (int attempt = 0; attempt < 3; attempt++)
        {
            if (TryCreate(path, me)) return new JournalLock(path, me) { TookOver = tookOver };
            var (holder, age) = ReadExisting(path);
            if (holder is null && age is null) continue;   // released between our create and our read: try again
            string? stale = StaleReason(path, holder, age!.Value);
            if (stale is null)
                throw new LockHeldException(
                    $"{purpose} '{guarded}' is in use by {Describe(holder)} (lock file {path}, heartbeat {age.Value.TotalSeconds:F0} s ago); " +
                    "two processes never write one journal. Wait for it to finish, or if that process is gone on another host, " +
                    $"the lock is taken over once its heartbeat is {StaleAfter.TotalMinutes:F0} minutes old.");
            TakeOver(path, holder);
            tookOver = $"{Describe(holder)}: {stale}";
        }
        throw new IclPruneException($"could not take the lock {path}: other processes keep taking it over; is the same {purpose} started many times?");
    }

    /// <summary>
    /// <see cref="Acquire"/>, waiting up to <paramref name="wait"/> for a live holder to let go. For short critical
    /// sections that must not be skipped: a shard that finishes while another shard merges must merge after it, since
    /// the other's merge may have read this shard's journal before its last cell.
    /// </summary>
    public static JournalLock AcquireWaiting(string guarded, string purpose, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        while (true)
        {
            try
            {
                return Acquire(guarded, purpose);
            }
            catch (LockHeldException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>Throws if another process took the lock over (our heartbeat stalled past the stale age).</summary>
    public void ThrowIfLost()
    {
        if (_lostTo is { } holder)
            throw new IclPruneException($"lost the lock {Path} to {holder}: this process stops so that only one writes; its finished work is kept.");
    }

    /// <summary>The heartbeat (a timer calls it every <see cref="Heartbeat"/>): touches the lock, or notes that it was lost.</summary>
    public void Renew()
    {
        try
        {
            var current = LockHolder.Parse(File.ReadAllText(Path));
            if (current?.Token != _me.Token)
            {
                _lostTo = current is null ? "a process that removed it" : Describe(current);
                return;
            }
            File.SetLastWriteTimeUtc(Path, DateTime.UtcNow);
        }
        catch (FileNotFoundException)
        {
            _lostTo = "a process that removed it";
        }
        catch (IOException)
        {
            // A transient NFS error: the next beat tries again; StaleAfter spans ten beats.
        }
    }

    static bool TryCreate(string path, LockHolder me)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 4096, FileOptions.WriteThrough);
            stream.Write(JsonSerializer.SerializeToUtf8Bytes(me, SearchJson.Options));
            stream.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IclPruneException($"cannot create the lock file {path}: {e.Message}", e);
        }
    }

    /// <summary>The holder (null when the file is empty or torn: its creator may be writing it) and its heartbeat's age.</summary>
    static (LockHolder? Holder, TimeSpan? Age) ReadExisting(string path)
    {
        try
        {
            // One stat for both: a lock created between two calls must not get the age of a missing file.
            var info = new FileInfo(path);
            if (!info.Exists) return (null, null);
            var age = DateTime.UtcNow - info.LastWriteTimeUtc;
            return (LockHolder.Parse(File.ReadAllText(path)), age < TimeSpan.Zero ? TimeSpan.Zero : age);
        }
        catch (FileNotFoundException)
        {
            return (null, null);
        }
    }

    /// <summary>Why the lock is stale, or null when its holder may be alive.</summary>
    static string? StaleReason(string path, LockHolder? holder, TimeSpan age)
    {
        if (age > StaleAfter) return $"no heartbeat for {age.TotalMinutes:F0} minutes";
        if (holder is null || holder.Host != Environment.MachineName) return null;
        if (holder.Pid == Environment.ProcessId)
            lock (HeldHere) return HeldHere.Contains(path) ? null : "left by an earlier process with this pid";
        try
        {
            using var process = Process.GetProcessById(holder.Pid);
            // Within a second: /proc start times are in clock ticks.
            return Math.Abs((process.StartTime.ToUniversalTime() - holder.Started).TotalSeconds) > 1 ? "pid reused" : null;
        }
        catch (ArgumentException)
        {
            return "holder process is gone";
        }
        catch (InvalidOperationException)
        {
            return "holder process is gone";
        }
    }

    static void TakeOver(string path, LockHolder? stale)
    {
        string aside = $"{path}.stale-{Guid.NewGuid():N}";
        try
        {
            // rename(2): of two processes moving the same file, exactly one succeeds (the name aside is unique).
            File.Move(path, aside, overwrite: true);
        }
        catch (FileNotFoundException)
        {
            return;   // another process took it over first; the next attempt sees its lock
        }
        var moved = LockHolder.Parse(File.ReadAllText(aside));
        if (moved?.Token != stale?.Token)
        {
            // We moved a fresh lock another process had just created in its takeover: put it back (link-based, never
            // over a third lock) and let the next attempt judge it.
            try { File.Move(aside, path, overwrite: false); } catch (IOException) { File.Delete(aside); }
            return;
        }
        File.Delete(aside);
    }

    static string Describe(LockHolder? holder) => holder is null
        ? "a process still writing its lock file"
        : $"host {holder.Host} pid {holder.Pid} (started {holder.Started:yyyy-MM-dd HH:mm:ss} UTC)";

    public void Dispose()
    {
        _timer.Dispose();
        lock (HeldHere) HeldHere.Remove(Path);
        try
        {
            if (LockHolder.Parse(File.ReadAllText(Path))?.Token == _me.Token) File.Delete(Path);
        }
        catch (IOException)
        {
            // Gone or unreadable: nothing of ours to remove.
        }
    }
}

/// <summary>Who holds a <see cref="JournalLock"/>: the lock file's content.</summary>
public sealed record LockHolder(string Host, int Pid, DateTime Started, string Token)
{
    public static LockHolder ThisProcess()
    {
        using var self = Process.GetCurrentProcess();
        return new LockHolder(Environment.MachineName, Environment.ProcessId, self.StartTime.ToUniversalTime(), Guid.NewGuid().ToString("N"));
    }

    /// <summary>Null for an empty or torn file (being written) or one of another shape.</summary>
    public static LockHolder? Parse(string text)
    {
        try
        {
            var holder = JsonSerializer.Deserialize<LockHolder>(text, SearchJson.Options);
            return holder is { Host: not null, Token: not null } ? holder : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
