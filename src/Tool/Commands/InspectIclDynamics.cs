using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using IclPrune.Output;
using IclPrune.Dynamics;
using IclPrune.Evaluation;
using IclPrune.Evaluation.Tasks;
using IclPrune.Models;
using IclPrune.Pruning;
using IclPrune.Reports;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>
/// The --icl-dynamics part of `inspect`: per layer, the norms of the implicit gradient updates that a task's
/// demonstrations write (docs/icl-dynamics.md), for the model as loaded and, with --prune, for the pruned model;
/// a table, icl-dynamics.json and icl-dynamics.png.
/// </summary>
public sealed class InspectIclDynamics
{
    public readonly Option<bool> Dynamics = new("--icl-dynamics")
    {
        Description = "Per layer: ||dW_t|| and ||G_t|| of the implicit gradient the demonstrations write (paper's Theorem 1, linear-attention reading), unpruned vs --prune; writes JSON and a PNG.",
    };

    public readonly Option<string> Task = new("--icl-task")
    {
        Description = "Task whose demonstration prompts are measured (built-in id or YAML file).",
        DefaultValueFactory = _ => "synth-4way-noisy",
        HelpName = "TASK",
    };

    public readonly Option<string> Seeds = new("--icl-seeds")
    {
        Description = "Demonstration seeds, comma-separated; norms are averaged over them.",
        DefaultValueFactory = _ => "0,1,2",
        HelpName = "LIST",
    };

    public readonly Option<string[]> Prune = new("--icl-prune")
    {
        Description = "Pruning spec(s) to compare against, e.g. attn@1:0.9 (docs/pruning.md).",
        HelpName = "SPEC",
        AllowMultipleArgumentsPerToken = true,
    };

    public readonly Option<string> Out = new("--icl-out")
    {
        Description = "Folder for icl-dynamics.json and icl-dynamics.png.",
        DefaultValueFactory = _ => ".",
        HelpName = "DIR",
    };

    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Dynamics, Task, Seeds, Prune, Out }) command.Options.Add(option);
    }

    public bool Requested(ParseResult parse) => parse.GetValue(Dynamics);

    public void Run(ParseResult parse, LoadedModel loaded, CliConsole console, bool json)
    {
        var data = TaskDataset.Load(TaskCatalog.Get(parse.GetValue(Task)!), null);
        var seeds = SeedList.Parse(parse.GetValue(Seeds)!);
        var specs = parse.GetValue(Prune) ?? [];
        var unpruned = IclDynamics.Measure(loaded, data, seeds);
        IclDynamicsResult? pruned = null;
        if (specs.Length > 0)
        {
            var parsed = specs.Select(PruneSpec.Parse).ToList();
            var plan = PrunePlan.For(loaded.Model, parsed);   // every spec resolves before any weight changes
            using (var pruner = new Pruner(loaded.Model.NamedParameters, cacheSvd: false)) pruner.ApplyPermanently(plan);
            specs = [.. parsed.Select(s => s.ToString())];
            pruned = IclDynamics.Measure(loaded, data, seeds);
        }
        string label = string.Join(" ", specs);

        string folder = parse.GetValue(Out)!;
        Directory.CreateDirectory(folder);
        string jsonPath = Path.Combine(folder, "icl-dynamics.json"), pngPath = Path.Combine(folder, "icl-dynamics.png");
        string text = JsonSerializer.Serialize(new { unpruned, pruned, prune = specs }, Search.SearchJson.Indented);
        AtomicFile.WriteAllText(jsonPath, text + "\n");
        IclDynamicsPlot.Save(unpruned, pruned, label, pngPath);
        if (json)
        {
            console.Output.WriteLine(text);
        }
        else
        {
            string G(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
            var table = new Table().Border(TableBorder.Simple)
                .Title($"implicit ICL updates on {data.Task.Id} (mean over seeds {string.Join(",", seeds)})")
                .AddColumn("layer").AddColumn("||dW_t||").AddColumn("||G_t||").AddColumn("||dW_t|| per head");
            if (pruned is not null) table.AddColumn(Markup.Escape($"||dW_t|| {label}")).AddColumn(Markup.Escape($"||G_t|| {label}"));
            foreach (var l in unpruned.Layers)
            {
                List<string> row = [l.Layer.ToString(CultureInfo.InvariantCulture), G(l.DeltaWNorm), G(l.AccumulatedNorm), string.Join(" ", l.HeadDeltaWNorms.Select(G))];
                if (pruned is not null) row.AddRange([G(pruned.Layers[l.Layer].DeltaWNorm), G(pruned.Layers[l.Layer].AccumulatedNorm)]);
                table.AddRow([.. row]);
            }
            console.Results.Write(table);
        }
        console.Progress.WriteLine($"wrote {jsonPath} and {pngPath}");
    }
}
