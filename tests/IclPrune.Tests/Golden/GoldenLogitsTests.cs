using System.Text.Json;
using IclPrune.Models;
using TorchSharp;

namespace IclPrune.Tests.Golden;

/// <summary>
/// Our architectures against Hugging Face transformers itself: tiny random checkpoints saved by transformers and the
/// logits it computed for fixed token ids (one row left-padded), made by make_golden.py beside this file. Every
/// supported model_type has a folder once the script has been run on a machine with transformers; until then the
/// test is skipped with that reason (docs/gpu.md), and the float64 reference tests in Models/ stand alone.
/// Tolerance: 1e-4 absolute on float32 logits of order 1 (both sides compute in float32; kernels differ in order).
/// </summary>
public sealed class GoldenLogitsTests
{
    const double Tolerance = 1e-4;
    static readonly string GoldenFolder = Path.Combine(AppContext.BaseDirectory, "Golden");

    static IEnumerable<TestCaseData> Cases()
    {
        var folders = Directory.Exists(GoldenFolder)
            ? Directory.GetDirectories(GoldenFolder).Where(d => File.Exists(Path.Combine(d, "expected.json"))).Order().ToList()
            : [];
        if (folders.Count == 0)
        {
            yield return new TestCaseData("(none)").SetName("Logits_MatchTransformers_(no golden data)");
            yield break;
        }
        foreach (var folder in folders)
            yield return new TestCaseData(Path.GetFileName(folder)).SetName($"Logits_MatchTransformers_{Path.GetFileName(folder)}");
    }

    [TestCaseSource(nameof(Cases))]
    public void Logits_MatchTransformers(string name)
    {
        if (name == "(none)")
            Assert.Ignore("no golden references yet: run tests/IclPrune.Tests/Golden/make_golden.py where transformers is installed and commit its output (docs/gpu.md).");

        string folder = Path.Combine(GoldenFolder, name);
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")));
        var root = expected.RootElement;
        long[][] ids = root.GetProperty("input_ids").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetInt64()).ToArray()).ToArray();
        long[][] mask = root.GetProperty("attention_mask").EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetInt64()).ToArray()).ToArray();
        var logits = root.GetProperty("logits");

        using var loaded = ModelLoader.Load(folder);
        using var scope = torch.NewDisposeScope();
        int batch = ids.Length, length = ids[0].Length;
        var inputIds = torch.tensor(ids.SelectMany(r => r).ToArray()).reshape(batch, length);
        var attention = torch.tensor(mask.SelectMany(r => r).ToArray()).reshape(batch, length);
        using var output = loaded.Model.Forward(new DecoderInput(inputIds, attention));
        var ours = loaded.Model.Logits(output.Hidden).to(torch.float64);

        double worst = 0;
        for (int b = 0; b < batch; b++)
        {
            var theirsRows = logits[b].EnumerateArray().ToList();
            for (int t = 0; t < length; t++)
            {
                if (mask[b][t] == 0) continue;   // padded positions are not defined the same way anywhere
                var theirs = theirsRows[t].EnumerateArray().Select(x => x.GetDouble()).ToArray();
                var row = ours[b, t].data<double>().ToArray();
                Assert.That(row, Has.Length.EqualTo(theirs.Length), $"{name}: vocabulary size");
                for (int v = 0; v < row.Length; v++) worst = Math.Max(worst, Math.Abs(row[v] - theirs[v]));
            }
        }
        Assert.That(worst, Is.LessThanOrEqualTo(Tolerance), $"{name}: largest |ours - transformers| over real positions");
    }
}
