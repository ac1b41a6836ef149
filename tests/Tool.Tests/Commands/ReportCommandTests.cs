using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Tests.Support;

namespace IclPrune.Tool.Tests.Commands;

/// <summary>
/// `report` on real outputs of the bundled tiny model (a demo folder, an eval results file) and on snapshots: an
/// approved one of eval-suites/ and a received one that lost seed 0's items.
/// </summary>
[NonParallelizable]
public sealed class ReportCommandTests
{
    const string Snapshot = "TinyModelTests.LastLayerMlpPruned_NotSignificantlyWorse_synth-4way_mlp@-1-0.9";
    string _work = "";
    string _demo = "";
    string _snapshots = "";
    string _eval = "";

    [OneTimeSetUp]
    public async Task RunDemoAndEval()
    {
        _work = Directory.CreateTempSubdirectory("icl-report-").FullName;
        _demo = Path.Combine(_work, "demo");
        var demo = await CliRun.InvokeAsync("demo", "--out", _demo, "--seeds", "0,1");
        Assert.That(demo.ExitCode, Is.EqualTo(ExitCodes.Success), demo.Error);
        _eval = Path.Combine(_work, "eval.json");
        var eval = await CliRun.InvokeAsync("eval", "--model", "tiny", "--task", "synth-2way", "--seeds", "0,1", "--out", _eval);
        Assert.That(eval.ExitCode, Is.EqualTo(ExitCodes.Success), eval.Error);

        _snapshots = Directory.CreateDirectory(Path.Combine(_work, "snapshots")).FullName;
        string approved = Path.Combine(RepositoryLayout.Root, "eval-suites", "TinyModel.Evals", Snapshot + ".verified.json");
        File.Copy(approved, Path.Combine(_snapshots, Snapshot + ".verified.json"));
        var received = JsonNode.Parse(File.ReadAllText(approved))!;
        var seed0 = received["per_seed"]![0]!;
        int n = seed0["n"]!.GetValue<int>();
        seed0["items"] = new string('0', (n + 3) / 4);   // every item of seed 0 now wrong
        seed0["correct"] = 0;
        seed0["accuracy"] = 0;
        received["accuracy"] = 0.6667;
        File.WriteAllText(Path.Combine(_snapshots, Snapshot + ".received.json"), received.ToJsonString());
    }

    [OneTimeTearDown]
    public void Delete() => Directory.Delete(_work, recursive: true);

    async Task<string> Report(params string[] inputs) => File.ReadAllText(await ReportFile(inputs));

    async Task<string> ReportFile(params string[] inputs)
    {
        string file = Path.Combine(_work, $"report-{Guid.NewGuid():N}.html");
        var run = await CliRun.InvokeAsync(["report", .. inputs, "--out", file]);
        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Success), run.Error);
        Assert.That(run.Output, Does.Contain(file));
        return file;
    }

    Dictionary<string, JsonElement> SweepCells()
    {
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_demo, "results.json")));
        return results.RootElement.GetProperty("sweep").GetProperty("cells").EnumerateArray()
            .ToDictionary(c => c.GetProperty("spec").GetString()!, c => c.Clone());
    }

    [Test]
    public async Task Report_DemoFolder_HeatmapHasOneCellPerGridPointWithItsAccuracy()
    {
        string html = await Report(_demo);

        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_demo, "results.json")));
        var expected = results.RootElement.GetProperty("sweep").GetProperty("cells").EnumerateArray()
            .ToDictionary(c => c.GetProperty("spec").GetString()!, c => c.GetProperty("accuracy").GetDouble());
        var cells = Regex.Matches(html, "<td data-sweep=\"s0\" data-cell=\"([^\"]+)\"[^>]*title=\"([^\"]*)\">([0-9.]+)\\*?</td>");
        Assert.That(cells, Has.Count.EqualTo(expected.Count).And.Count.EqualTo(2 * 2 * 6), "2 layers x attn/mlp x the demo's 6 rates");
        foreach (Match cell in cells)
        {
            string spec = cell.Groups[1].Value;
            Assert.That(cell.Groups[3].Value, Is.EqualTo(expected[spec].ToString("F4", CultureInfo.InvariantCulture)), spec);
            Assert.That(cell.Groups[2].Value, Does.Contain("delta").And.Contain("McNemar p").And.Match(@"\bn \d+"), spec);
        }
        Assert.That(html, Does.Contain("<h2>Algorithm 1: attn</h2>").And.Contain("<h2>Algorithm 1: mlp</h2>").And.Contain("Validation curve"));
        Assert.That(html, Does.Contain("<h2>demo: tiny</h2>").And.Contain("synth-4way-noisy"));
        Assert.That(File.ReadAllText(Path.Combine(_demo, "report.html")), Does.Contain("class=\"heatmap\""), "demo writes report.html itself");
    }

    [Test]
    public async Task Report_DemoFolder_FlippedItemsCarryTheirRenderedPrompts()
    {
        string html = await Report(_demo);

        var data = JsonNode.Parse(Regex.Match(html, "<script type=\"application/json\" id=\"flip-data\">(.*?)</script>").Groups[1].Value)!;
        var sweep = data["s0"]!;
        using var results = JsonDocument.Parse(File.ReadAllText(Path.Combine(_demo, "results.json")));
        var worst = results.RootElement.GetProperty("sweep").GetProperty("cells").EnumerateArray()
            .OrderBy(c => c.GetProperty("delta").GetDouble()).First();
        string spec = worst.GetProperty("spec").GetString()!;
        var seed0 = sweep["cells"]![spec]![0]!;
        int lost = worst.GetProperty("per_seed")[0].GetProperty("baseline_only_correct").GetInt32();
        Assert.That(seed0["lost"]!.AsArray().Count + seed0["more_lost"]!.GetValue<int>(), Is.EqualTo(lost), spec);
        var first = seed0["lost"]![0]!;
        string prompt = sweep["prompts"]![$"{seed0["seed"]}:{first["i"]}"]!.GetValue<string>();
        Assert.That(prompt.Split('\n'), Has.Length.GreaterThan(8), "8 demonstrations, then the query");
        Assert.That(first["gold"]!.GetValue<string>(), Is.EqualTo(first["was"]!.GetValue<string>()), "a lost item was right unpruned");
        Assert.That(first["now"]!.GetValue<string>(), Is.Not.EqualTo(first["gold"]!.GetValue<string>()));
    }

    [Test]
    public async Task Report_MixedInputs_EvalIntervalsAndGateVerdictWithWhatChanged()
    {
        string html = await Report(_eval, _snapshots, _demo);

        Assert.That(html, Does.Contain("<h2>eval: tiny on synth-2way/test</h2>").And.Contain("95% CI (Wilson)"));
        Assert.That(Regex.Matches(html, "<svg class=\"chart\""), Has.Count.GreaterThanOrEqualTo(5));
        var row = Regex.Match(html, $"<tr class=\"(\\w+)\"><td>{Regex.Escape(Snapshot)}</td><td>([^<]*)</td>(.*?)</tr>");
        Assert.That(row.Success, Is.True, "one verdict row for the snapshot pair");
        Assert.That(row.Groups[1].Value, Is.EqualTo("bad"));
        Assert.That(row.Groups[2].Value, Is.EqualTo("changed: significantly worse on a seed"));
        Assert.That(row.Groups[3].Value, Does.Contain("seed 0: 48 / 0").And.Contain("accuracy: 1 → 0.6667"));
    }

    [Test]
    public async Task Report_AnyInput_SelfContainedWithNoNetworkReference()
    {
        string html = await Report(_eval, _snapshots, _demo);

        Assert.That(html, Does.StartWith("<!DOCTYPE html>"));
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://").And.Not.Contain("//cdn"));
        Assert.That(Regex.IsMatch(html, "<script[^>]+src=|<link|<img|@import|url\\("), Is.False, "no external scripts, styles, fonts or images");
    }

    [Test]
    public async Task Report_InHeadlessChromium_LoadsWithoutErrorsAndAClickListsTheFlippedItems()
    {
        string chromium = HeadlessChromium.Executable() ?? "";
        if (chromium == "") Assert.Ignore("chromium is not installed here; .ci/run installs it, so CI runs this test.");
        string file = await ReportFile(_snapshots, _demo);
        await using var browser = await HeadlessChromium.StartAsync(chromium);
        await browser.NavigateAsync(new Uri(file).AbsoluteUri);

        var expected = SweepCells();
        var shown = JsonNode.Parse((await browser.EvaluateAsync(
            "JSON.stringify([...document.querySelectorAll('td[data-cell]')].map(td => [td.dataset.cell, td.textContent]))"))!.GetValue<string>())!.AsArray();
        Assert.That(shown, Has.Count.EqualTo(expected.Count), "one heatmap cell per grid point");
        foreach (var cell in shown)
        {
            string spec = cell![0]!.GetValue<string>();
            Assert.That(cell[1]!.GetValue<string>().TrimEnd('*'),
                Is.EqualTo(expected[spec].GetProperty("accuracy").GetDouble().ToString("F4", CultureInfo.InvariantCulture)), spec);
        }

        var worst = expected.Values.OrderBy(c => c.GetProperty("delta").GetDouble()).First();
        string worstSpec = worst.GetProperty("spec").GetString()!;
        int lost = worst.GetProperty("per_seed")[0].GetProperty("baseline_only_correct").GetInt32();
        string panel = (await browser.EvaluateAsync(
            $"document.querySelector('td[data-cell=\"{worstSpec}\"]').click(); document.getElementById('flips-s0').textContent"))!.GetValue<string>();
        Assert.That(panel, Does.Contain($"{worstSpec}: items that changed").And.Contain($"seed 0: {lost} lost"));
        int prompts = (await browser.EvaluateAsync("[...document.querySelectorAll('#flips-s0 pre')].filter(p => p.textContent.split('\\n').length > 8).length"))!.GetValue<int>();
        Assert.That(prompts, Is.GreaterThan(0), "the flipped items carry their rendered prompts");
        string gate = (await browser.EvaluateAsync("document.querySelector('section.gate').textContent"))!.GetValue<string>();
        Assert.That(gate, Does.Contain("changed: significantly worse on a seed"));

        string screenshot = Path.Combine(TestContext.CurrentContext.WorkDirectory, "report-chromium.png");
        await File.WriteAllBytesAsync(screenshot, await browser.ScreenshotAsync());
        TestContext.AddTestAttachment(screenshot, "the report after clicking the worst sweep cell");
        Assert.That(browser.Errors, Is.Empty, "console errors or uncaught exceptions");
    }

    [Test]
    public async Task Report_MissingFolder_ExitsTwoNamingIt()
    {
        string missing = Path.Combine(_work, "no-such-run");
        var run = await CliRun.InvokeAsync("report", missing, "--out", Path.Combine(_work, "x.html"));

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain(missing).And.Contain("does not exist"));
        Assert.That(File.Exists(Path.Combine(_work, "x.html")), Is.False);
    }

    [TestCase("notes.txt", "hello", "not a .json file")]
    [TestCase("config.json", "{\"hidden_size\": 64}", "none of: eval results")]
    [TestCase("broken.json", "{\"per_seed\": ", "not valid JSON")]
    public async Task Report_UnknownFile_ExitsTwoNamingFileAndReason(string name, string content, string reason)
    {
        string file = Path.Combine(_work, name);
        File.WriteAllText(file, content);
        var run = await CliRun.InvokeAsync("report", file, "--out", Path.Combine(_work, "x.html"));

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain(file).And.Contain(reason));
    }

    [Test]
    public async Task Report_FolderWithNothingReadable_ExitsTwo()
    {
        string folder = Directory.CreateDirectory(Path.Combine(_work, "model-folder")).FullName;
        File.WriteAllText(Path.Combine(folder, "config.json"), "{\"hidden_size\": 64}");
        var run = await CliRun.InvokeAsync("report", folder, "--out", Path.Combine(_work, "x.html"));

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Usage));
        Assert.That(run.Error, Does.Contain(folder).And.Contain("holds nothing the report reads"));
    }
}
