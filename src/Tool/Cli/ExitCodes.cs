namespace IclPrune.Tool.Cli;

/// <summary>The tool's exit codes, the contract scripts and CI rely on.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The command ran and failed: bad input file, torch unavailable, a failed check.</summary>
    public const int Failure = 1;
    /// <summary>The command line itself is wrong: unknown command/option, invalid value.</summary>
    public const int Usage = 2;
    /// <summary>Interrupted by Ctrl+C (128 + SIGINT, as shells report it).</summary>
    public const int Cancelled = 130;
    /// <summary>Stopped by SIGTERM (128 + 15), e.g. a preempted cluster job; the same orderly stop as Ctrl+C.</summary>
    public const int Terminated = 143;
}
