using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace IclPrune.Tool.Tests.Support;

/// <summary>
/// A real one-node Slurm (Debian 12's slurmctld, slurmd and munge, 22.05) on 127.0.0.1, run as root from a temporary
/// folder: its own munge key and socket, its own slurm.conf and free ports, so it touches nothing of a Slurm or munge
/// the machine may already run. Every daemon runs in the foreground as a child of the test and is stopped by its pid.
/// </summary>
public sealed class SlurmCluster : IDisposable
{
    public static readonly string[] Binaries = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "scontrol", "scancel"];
    const string Node = "icltest";

    readonly List<Process> _daemons = [];
    readonly List<string> _jobs = [];

    public string Folder { get; } = Directory.CreateTempSubdirectory("icl-slurm-").FullName;
    public string ConfigPath => Path.Combine(Folder, "slurm.conf");

    /// <summary>The binaries that are not installed (apt: slurmctld slurmd slurm-client munge).</summary>
    public static IReadOnlyList<string> Missing() => Binaries.Where(b => Which(b) is null).ToList();

    public static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/sbin"])
            .Select(dir => Path.Combine(dir, name)).FirstOrDefault(File.Exists);

    public SlurmCluster()
    {
        try
        {
            Start();
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    void Start()
    {
        string key = Path.Combine(Folder, "munge.key");
        Run("mungekey", "--create", "--keyfile", key);
        string socket = Path.Combine(Folder, "munge.sock");
        Daemon("munged", "--foreground", "--force", $"--socket={socket}", $"--key-file={key}", $"--pid-file={Folder}/munged.pid",
            $"--seed-file={Folder}/munged.seed", $"--log-file={Folder}/munged.log");
        WaitFor(() => File.Exists(socket), "munged's socket");

        File.WriteAllText(ConfigPath, $"""
            ClusterName=iclprunetest
            SlurmctldHost=localhost(127.0.0.1)
            SlurmctldPort={FreePort()}
            SlurmdPort={FreePort()}
            SlurmUser=root
            SlurmdUser=root
            AuthType=auth/munge
            CredType=cred/munge
            AuthInfo=socket={socket}
            StateSaveLocation={Folder}/state
            SlurmdSpoolDir={Folder}/spool
            SlurmctldPidFile={Folder}/slurmctld.pid
            SlurmdPidFile={Folder}/slurmd.pid
            SlurmctldLogFile={Folder}/slurmctld.log
            SlurmdLogFile={Folder}/slurmd.log
            ProctrackType=proctrack/linuxproc
            TaskPlugin=task/none
            JobAcctGatherType=jobacct_gather/none
            AccountingStorageType=accounting_storage/none
            JobCompType=jobcomp/none
            MpiDefault=none
            SchedulerType=sched/builtin
            SelectType=select/cons_tres
            SelectTypeParameters=CR_Core
            SlurmdParameters=config_overrides
            ReturnToService=2
            MinJobAge=600
            NodeName={Node} NodeHostname=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
            PartitionName=debug Nodes={Node} Default=YES MaxTime=INFINITE State=UP

            """);
        Directory.CreateDirectory(Path.Combine(Folder, "state"));
        Directory.CreateDirectory(Path.Combine(Folder, "spool"));
        Daemon("slurmctld", "-D", "-i", "-f", ConfigPath);
        Daemon("slurmd", "-D", "-N", Node, "-f", ConfigPath);
        WaitFor(() => Run("scontrol", "show", "node", Node).Contains("State=IDLE"), "the node to be idle");
    }

    /// <summary>Environment for clients (sbatch, scontrol) and the jobs they submit.</summary>
    public Dictionary<string, string> ClientEnvironment() => new() { ["SLURM_CONF"] = ConfigPath };

    /// <summary>Remembers a job so that <see cref="Dispose"/> cancels it if it still runs.</summary>
    public void Track(string jobId) => _jobs.Add(jobId);

    /// <summary>The job's state (COMPLETED, FAILED, ...), polled until it has ended.</summary>
    public string WaitForEnd(string jobId, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string show = Run("scontrol", "show", "job", "-o", jobId);
            string state = show.Split(' ').FirstOrDefault(f => f.StartsWith("JobState="))?["JobState=".Length..] ?? "UNKNOWN";
            if (state is "COMPLETED" or "FAILED" or "CANCELLED" or "TIMEOUT" or "NODE_FAIL" or "OUT_OF_MEMORY" or "PREEMPTED") return state;
            if (clock.Elapsed > timeout) return $"{state} after {timeout.TotalSeconds:F0} s ({show.Trim()})";
            Thread.Sleep(250);
        }
    }

    public string Logs() => string.Join("\n", new[] { "slurmctld.log", "slurmd.log", "munged.log" }
        .Select(f => Path.Combine(Folder, f)).Where(File.Exists).Select(f => $"--- {f}\n{string.Join("\n", File.ReadLines(f).TakeLast(30))}"));

    string Run(string tool, params string[] arguments)
    {
        var run = ProcessRun.Start(Which(tool)!, arguments, Folder, TimeSpan.FromSeconds(30), ClientEnvironment());
        return run.Output + run.Error;
    }

    void Daemon(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(Which(tool)!) { WorkingDirectory = Folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string a in arguments) info.ArgumentList.Add(a);
        info.Environment["SLURM_CONF"] = ConfigPath;
        var process = Process.Start(info)!;
        // Drain the foreground daemons' output so that they never block on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _daemons.Add(process);
    }

    static void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"Slurm test cluster: waited 30 s for {what}");
            Thread.Sleep(200);
        }
    }

    static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        foreach (string job in _jobs)
            try { Run("scancel", job); } catch (Exception e) when (e is InvalidOperationException or AssertionException) { }
        // slurmd before slurmctld before munged: each stops while what it talks to is still there.
        foreach (var daemon in Enumerable.Reverse(_daemons))
        {
            try
            {
                if (!daemon.HasExited)
                {
                    Process.Start("kill", ["-TERM", daemon.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
                    if (!daemon.WaitForExit(10_000)) daemon.Kill();
                    daemon.WaitForExit();
                }
            }
            finally
            {
                daemon.Dispose();
            }
        }
        if (System.Environment.GetEnvironmentVariable("ICL_KEEP_TEST_OUTPUT") is null)
            try { Directory.Delete(Folder, recursive: true); } catch (IOException) { }
    }
}
