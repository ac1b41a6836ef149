using IclAssertions.Constraints;
using IclAssertions.Gpu;

namespace PaperReplication.Evals;

/// <summary>
/// The paper's headline experiment (Yao et al., NeurIPS 2024; docs/method.md section 4) on GPT-J-6B and LLaMA2-7B and the
/// seven tasks: the unpruned model and the model pruned at the paper's (layer, module, xi*), each gated against its
/// approved snapshot, and the pruned model not significantly worse than the unpruned one on the same items.
/// Needs the checkpoints and the data, so it is skipped (with the reason) unless
///   ICL_PRUNE_MODELS  = folder holding gpt-j-6b/ and Llama-2-7b-hf/ (Hugging Face layout),
///   ICL_PRUNE_DATA    = folder holding one folder per task (sst2/, agnews/, ... with SPLIT.parquet|jsonl|csv files),
/// and optionally ICL_PRUNE_DEVICE (default cuda) and ICL_PRUNE_DTYPE (default fp16, as the paper loads GPT-J).
/// On a CUDA device the tests are in the Gpu category and skip where CUDA is absent. Snapshots are not committed:
/// the first run on a machine with the models writes .received.json files to review and accept.
/// </summary>
[Category(GpuTests.Category)]
public class PaperReplicationTests
{
    static string? Models => Environment.GetEnvironmentVariable("ICL_PRUNE_MODELS");
    static string? Data => Environment.GetEnvironmentVariable("ICL_PRUNE_DATA");
    static string Device => Environment.GetEnvironmentVariable("ICL_PRUNE_DEVICE") ?? "cuda";
    static string DType => Environment.GetEnvironmentVariable("ICL_PRUNE_DTYPE") ?? "fp16";

    [TestCaseSource(typeof(PaperCase), nameof(PaperCase.All))]
    public async Task PaperCase_PrunedAtPaperRate_NotSignificantlyWorseAndMatchesSnapshots(PaperCase paper)
    {
        if (string.IsNullOrEmpty(Models) || string.IsNullOrEmpty(Data))
            Assert.Ignore("set ICL_PRUNE_MODELS (checkpoint folders) and ICL_PRUNE_DATA (task data folders) to run the paper replication.");
        string data = Path.Combine(Data, paper.Task);
        if (!Directory.Exists(Path.Combine(Models, paper.Model))) Assert.Ignore($"checkpoint {paper.Model} not found under ICL_PRUNE_MODELS ({Models}).");
        if (!Directory.Exists(data)) Assert.Ignore($"data folder {data} not found under ICL_PRUNE_DATA.");
        if (Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase)) GpuTests.RequireCuda();

        // The model by name: resolved under ICL_PRUNE_MODELS, so snapshots do not record a machine's paths.
        var eval = IclEval.Model(paper.Model).Task(paper.Task).Data(data).OnDevice(Device).WithDType(DType);
        var unpruned = await eval.RunAsync();
        var pruned = await eval.Prune(paper.PruneSpec).RunAsync();

        TestContext.Out.WriteLine($"{paper.Model} {paper.Task}: ICL {unpruned.Accuracy:F4} (paper {paper.PaperIcl}), " +
                                  $"pruned {paper.PruneSpec} {pruned.Accuracy:F4} (paper {paper.PaperPruned})");
        Assert.Multiple(() =>
        {
            Assert.That(unpruned, Matches.ApprovedSnapshot().Named($"PaperReplicationTests.{paper}_unpruned"));
            Assert.That(pruned, Matches.ApprovedSnapshot().Named($"PaperReplicationTests.{paper}_pruned"));
            Assert.That(pruned, Is.Not.SignificantlyWorseThan(unpruned));
        });
    }
}
