using System.Globalization;

namespace IclPrune.Search;

/// <summary>
/// Which shard this process is, from `--shard` or else from the scheduler that started it:
/// a Slurm job array (SLURM_ARRAY_TASK_ID, counted from SLURM_ARRAY_TASK_MIN in steps of SLURM_ARRAY_TASK_STEP, of
/// SLURM_ARRAY_TASK_COUNT tasks, so `--array=0-3` and `--array=1-4` both give shards 1..4), or a Kubernetes Indexed
/// Job (JOB_COMPLETION_INDEX from 0, with the count, which Kubernetes does not pass on, from `--shard-count` or
/// ICL_PRUNE_SHARD_COUNT). `--shard none` runs the whole grid even inside an array job.
/// </summary>
public static class SchedulerShard
{
    public const string CountVariable = "ICL_PRUNE_SHARD_COUNT";

    /// <summary>The shard (null: the whole grid) and where it came from, for the progress line.</summary>
    public static (SweepShard? Shard, string Source) Resolve(string? shardOption, int? countOption, Func<string, string?> environment)
    {
        if (shardOption is not null)
        {
            if (countOption is not null)
                throw new UsageException("--shard-count is the count for JOB_COMPLETION_INDEX; with --shard K/N the count is N.");
            return shardOption.Trim().Equals("none", StringComparison.OrdinalIgnoreCase)
                ? (null, "--shard none")
                : (SweepShard.Parse(shardOption), $"--shard {shardOption}");
        }

        if (environment("SLURM_ARRAY_TASK_ID") is { } slurmId)
        {
            int id = Integer("SLURM_ARRAY_TASK_ID", slurmId);
            int count = Integer("SLURM_ARRAY_TASK_COUNT", environment("SLURM_ARRAY_TASK_COUNT"));
            int min = Integer("SLURM_ARRAY_TASK_MIN", environment("SLURM_ARRAY_TASK_MIN"));
            int step = environment("SLURM_ARRAY_TASK_STEP") is { } s ? Integer("SLURM_ARRAY_TASK_STEP", s) : 1;
            string source = $"SLURM_ARRAY_TASK_ID={id}, SLURM_ARRAY_TASK_MIN={min}, SLURM_ARRAY_TASK_STEP={step}, SLURM_ARRAY_TASK_COUNT={count}";
            if (countOption is not null && countOption != count)
                throw new UsageException($"--shard-count {countOption} disagrees with the Slurm array ({source}).");
            if (step < 1 || id < min || (id - min) % step != 0 || (id - min) / step >= count)
                throw new UsageException($"the Slurm array ({source}) does not number its tasks min, min+step, ...: " +
                    "submit it as one range (--array=0-N-1), or pass --shard K/N.");
            return (SweepShard.Create((id - min) / step + 1, count, source), source);
        }

        if (environment("JOB_COMPLETION_INDEX") is { } indexText)
        {
            int index = Integer("JOB_COMPLETION_INDEX", indexText);
            int count = countOption ?? (environment(CountVariable) is { } c ? Integer(CountVariable, c)
                : throw new UsageException($"JOB_COMPLETION_INDEX={index} is set but not the shard count: pass --shard-count N " +
                    $"or set {CountVariable} to the Job's completions, or pass --shard none to run the whole grid."));
            string source = $"JOB_COMPLETION_INDEX={index}, shard count {count}";
            return (SweepShard.Create(index + 1, count, source), source);
        }

        if (countOption is not null)
            throw new UsageException("--shard-count needs JOB_COMPLETION_INDEX (a Kubernetes Indexed Job); elsewhere use --shard K/N.");
        return (null, "no --shard and no scheduler index");
    }

    static int Integer(string name, string? text) =>
        int.TryParse(text?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new UsageException(text is null
                ? $"{name} is not set, but the other Slurm array variables are; is this a Slurm array task?"
                : $"environment variable {name}='{text}' is not an integer.");
}
