using System.Diagnostics;
using System.Text.Json;
using IclPrune.Search;
using IclPrune.Tests.Evaluation;

namespace IclPrune.Tests.Search;

public sealed class JournalLockTests
{
    TempFolder _folder = null!;
    string _journal = "";

    [SetUp]
    public void Create()
    {
        _folder = new TempFolder();
        _journal = Path.Combine(_folder.Path, "journal.jsonl");
    }

    [TearDown]
    public void Delete() => _folder.Dispose();

    void WriteLock(string host, int pid, DateTime started, TimeSpan heartbeatAge)
    {
        string path = JournalLock.PathFor(_journal);
        File.WriteAllText(path, JsonSerializer.Serialize(new LockHolder(host, pid, started, "someone-else"), SearchJson.Options));
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - heartbeatAge);
    }

    static int DeadPid()
    {
        using var process = Process.Start(new ProcessStartInfo("true"))!;
        process.WaitForExit();
        return process.Id;   // exited and reaped: no process has this pid until the kernel wraps around
    }

    [Test]
    public void Acquire_HeldByLiveProcessOnThisHost_RefusedNamingHostAndPid()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        try
        {
            WriteLock(Environment.MachineName, sleeper.Id, sleeper.StartTime.ToUniversalTime(), TimeSpan.Zero);
            var e = Assert.Throws<LockHeldException>(() => JournalLock.Acquire(_journal, "sweep journal"));
            Assert.That(e!.Message, Does.Contain($"host {Environment.MachineName} pid {sleeper.Id}").And.Contain(_journal));
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }
    }

    [Test]
    public void Acquire_HeldInThisProcess_Refused()
    {
        using var first = JournalLock.Acquire(_journal, "sweep journal");
        var e = Assert.Throws<LockHeldException>(() => JournalLock.Acquire(_journal, "sweep journal"));
        Assert.That(e!.Message, Does.Contain($"pid {Environment.ProcessId}"));
    }

    [Test]
    public void AcquireWaiting_HolderReleasesWithinTheWait_TakesIt()
    {
        var first = JournalLock.Acquire(_journal, "sweep results");
        var release = Task.Run(async () =>
        {
            await Task.Delay(500);
            first.Dispose();
        });
        using var second = JournalLock.AcquireWaiting(_journal, "sweep results", TimeSpan.FromSeconds(60));
        release.Wait();
        Assert.That(release.IsCompletedSuccessfully, Is.True, "taken only after the holder let go");
    }

    [Test]
    public void AcquireWaiting_HolderKeepsIt_RefusedAfterTheWaitNamingTheHolder()
    {
        using var first = JournalLock.Acquire(_journal, "sweep results");
        var e = Assert.Throws<LockHeldException>(() => JournalLock.AcquireWaiting(_journal, "sweep results", TimeSpan.FromMilliseconds(300)));
        Assert.That(e!.Message, Does.Contain($"pid {Environment.ProcessId}"));
    }

    [Test]
    public void AcquireWaiting_LockFileCannotBeCreated_NotALockHeldRefusal()
    {
        string guarded = Path.Combine(_folder.Path, "no-such-folder", "journal.jsonl");
        var e = Assert.Throws<IclPruneException>(() => JournalLock.AcquireWaiting(guarded, "sweep results", TimeSpan.FromMilliseconds(300)));
        Assert.That(e!.Message, Does.Contain("cannot create the lock file"), "only a live holder is waited out");
    }

    [Test]
    public void Acquire_HolderOnThisHostIsGone_TakesOver()
    {
        int dead = DeadPid();
        WriteLock(Environment.MachineName, dead, DateTime.UtcNow, TimeSpan.Zero);
        using var taken = JournalLock.Acquire(_journal, "sweep journal");
        Assert.That(taken.TookOver, Does.Contain($"pid {dead}").And.Contain("holder process is gone"));
        var holder = LockHolder.Parse(File.ReadAllText(taken.Path))!;
        Assert.That(holder.Pid, Is.EqualTo(Environment.ProcessId));
        Assert.That(Directory.GetFiles(_folder.Path), Has.Length.EqualTo(1), "the stale lock is removed, not left aside");
    }

    [Test]
    public void Acquire_PidReusedByANewerProcess_TakesOver()
    {
        using var sleeper = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        try
        {
            // The pid is alive, but it started after the recorded holder: another process got the same pid.
            WriteLock(Environment.MachineName, sleeper.Id, sleeper.StartTime.ToUniversalTime().AddMinutes(-3), TimeSpan.Zero);
            using var taken = JournalLock.Acquire(_journal, "sweep journal");
            Assert.That(LockHolder.Parse(File.ReadAllText(taken.Path))!.Pid, Is.EqualTo(Environment.ProcessId));
        }
        finally
        {
            sleeper.Kill();
            sleeper.WaitForExit();
        }
    }

    [Test]
    public void Acquire_OtherHostWithRecentHeartbeat_Refused()
    {
        WriteLock("node-17", 4242, DateTime.UtcNow.AddHours(-1), TimeSpan.FromMinutes(1));
        var e = Assert.Throws<LockHeldException>(() => JournalLock.Acquire(_journal, "sweep journal"));
        Assert.That(e!.Message, Does.Contain("host node-17 pid 4242"));
    }

    [Test]
    public void Acquire_OtherHostWithOldHeartbeat_TakesOver()
    {
        WriteLock("node-17", 4242, DateTime.UtcNow.AddHours(-1), JournalLock.StaleAfter + TimeSpan.FromMinutes(1));
        using var taken = JournalLock.Acquire(_journal, "sweep journal");
        Assert.That(LockHolder.Parse(File.ReadAllText(taken.Path))!.Host, Is.EqualTo(Environment.MachineName));
    }

    [Test]
    public void Acquire_EmptyLockFileJustCreated_RefusedAsBeingWritten()
    {
        File.WriteAllText(JournalLock.PathFor(_journal), "");
        var e = Assert.Throws<LockHeldException>(() => JournalLock.Acquire(_journal, "sweep journal"));
        Assert.That(e!.Message, Does.Contain("still writing its lock file"));
    }

    [Test]
    public void Dispose_OwnLock_RemovesLockFile()
    {
        var taken = JournalLock.Acquire(_journal, "sweep journal");
        Assert.That(File.Exists(JournalLock.PathFor(_journal)), Is.True);
        taken.Dispose();
        Assert.That(File.Exists(JournalLock.PathFor(_journal)), Is.False);
    }

    [Test]
    public void Renew_LockTakenOverMeanwhile_ThrowIfLostNamesNewHolderAndDisposeKeepsTheirs()
    {
        var taken = JournalLock.Acquire(_journal, "sweep journal");
        // Another host judged our heartbeat stale and took over.
        WriteLock("node-3", 77, DateTime.UtcNow, TimeSpan.Zero);
        taken.Renew();
        var e = Assert.Throws<IclPruneException>(taken.ThrowIfLost);
        Assert.That(e!.Message, Does.Contain("host node-3 pid 77"));
        taken.Dispose();
        Assert.That(LockHolder.Parse(File.ReadAllText(JournalLock.PathFor(_journal)))!.Host, Is.EqualTo("node-3"));
    }
}
