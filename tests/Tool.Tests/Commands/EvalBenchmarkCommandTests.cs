using System.Text.Json;
using IclPrune.Models;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Commands;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

/// <summary>`benchmark-eval` on tiny shapes: it runs every arm and reports the work it counted (no timing asserted).</summary>
public class EvalBenchmarkCommandTests
{
    [TestCase("4")]   // GPT-2 shape
    [TestCase("2")]   // Llama shape with grouped-query attention
    public async Task BenchmarkEval_TinyShape_ReportsThreeArmsAndTheCountedWork(string kvHeads)
    {
        var run = await CliRun.InvokeAsync("dev", "benchmark-eval", "--layers", "2", "--hidden", "32", "--heads", "4", "--kv-heads", kvHeads,
            "--vocab", "300", "--prefix", "12", "--queries", "5", "--query-lengths", "2-4", "--batch-size", "2", "--iterations", "1", "--json");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        using var json = JsonDocument.Parse(run.Output);
        var root = json.RootElement;
        Assert.That(root.GetProperty("model_type").GetString(), Is.EqualTo(kvHeads == "4" ? "gpt2" : "llama"));
        Assert.That(root.GetProperty("arms").EnumerateArray().Select(a => a.GetProperty("arm").GetString()),
            Is.EqualTo(new[] { "SharedPrefix", "BroadcastPrefix", "ExpandedCopies", "NoCache" }));
        Assert.That(root.GetProperty("query_tokens").GetInt64(), Is.InRange(10, 20));
        Assert.That(root.GetProperty("useful_gflop").GetDouble(), Is.GreaterThan(0));
    }

    [Test]
    public async Task BenchmarkEval_BadQueryLengths_ExitsUsageNamingTheOption()
    {
        var run = await CliRun.InvokeAsync("dev", "benchmark-eval", "--query-lengths", "9-3");

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain("--query-lengths '9-3'"));
    }

    [Test]
    public void UsefulFlops_OneLayerGpt2_EqualsHandCount()
    {
        // D 4, I 16, 1 layer, 2 heads: per token 2 * (4*12 + 4*4 + 2*4*16) = 384; 3 prefix + (1 + 2) query tokens.
        // Keys: prefix 1+2+3 = 6; queries 1*3+1 + 2*3+3 = 13; attention 4 * 4 * 19 = 304. Head: 2 * 4 * 2 labels * 2 queries = 32.
        var config = new ModelConfig("gpt2", 50, 4, 1, 2, 2, 2, 16, 64, 1e-5, "gelu_new", true, null, true, true, false, null, null, null);
        var work = new EvalWorkload(config, PrefixTokens: 3, QueryLengths: [1, 2], LabelRows: 2);

        Assert.That(work.UsefulFlops, Is.EqualTo(384.0 * 6 + 304 + 32));
    }
}
