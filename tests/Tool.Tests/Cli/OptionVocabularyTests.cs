using System.CommandLine;
using IclPrune.Tool.Cli;
using IclPrune.Tool.Commands;

namespace IclPrune.Tool.Tests.Cli;

/// <summary>One CLI vocabulary: an option name means the same thing (type, help, default) in every command that has it.</summary>
public class OptionVocabularyTests
{
    /// <summary>Options shared by several commands; each is declared once (src/Tool/Cli) and must read alike everywhere.</summary>
    static readonly string[] SharedOptions =
    [
        "--model", "--dtype", "--device", "--task", "--data", "--column", "--shots", "--batch-size", "--limit", "--no-cache",
        "--no-svd-cache", "--no-layer-reuse",
    ];

    /// <summary>The user-facing commands; the `dev` tools keep shape options of their own (--layers, a fixed --batch-size).</summary>
    static IEnumerable<(Command Command, Option Option)> AllOptions()
    {
        var root = CliApp.BuildRoot(new CliConsole(TextWriter.Null, TextWriter.Null));
        var commands = new List<Command>();
        void Walk(Command c) { commands.Add(c); foreach (var sub in c.Subcommands.Where(s => s is not DevCommand)) Walk(sub); }
        Walk(root);
        return commands.SelectMany(c => c.Options.Select(o => (c, o)));
    }

    [TestCaseSource(nameof(SharedOptions))]
    public void BuildRoot_SharedOption_SameTypeHelpAndDefaultEverywhere(string name)
    {
        var uses = AllOptions().Where(u => u.Option.Name == name).ToList();

        Assert.That(uses.Select(u => u.Command.Name).ToList(), Has.Count.GreaterThan(1), "shared by several commands");
        // measure-synthetic and demo default --model to tiny; that is their only difference.
        var forms = uses.Select(u => (u.Option.ValueType, u.Option.Description, u.Option.HelpName)).Distinct().ToList();
        Assert.That(forms, Has.Count.EqualTo(1), string.Join("; ", uses.Select(u => $"{u.Command.Name}: {u.Option.ValueType.Name} '{u.Option.Description}'")));
    }

    [Test]
    public void BuildRoot_Seeds_SameTypeAndHelpEverywhere()
    {
        var uses = AllOptions().Where(u => u.Option.Name == "--seeds").ToList();

        Assert.That(uses.Select(u => u.Command.Name), Is.SupersetOf(new[] { "eval", "search", "sweep", "demo" }));
        Assert.That(uses.Select(u => (u.Option.ValueType, u.Option.Description)).Distinct().Count(), Is.EqualTo(1));
    }

    [TestCase("eval")]
    [TestCase("search")]
    [TestCase("sweep")]
    public void Parse_BatchSize_AutoAcceptedZeroRefusedNamingFlag(string command)
    {
        var root = CliApp.BuildRoot(new CliConsole(TextWriter.Null, TextWriter.Null));
        string[] common = command switch
        {
            "search" => [command, "--model", "tiny", "--task", "synth-2way", "--module", "mlp"],
            "sweep" => [command, "--model", "tiny", "--task", "synth-2way", "--out", "x"],
            _ => [command, "--model", "tiny", "--task", "synth-2way"],
        };

        var auto = root.Parse([.. common, "--batch-size", "auto"]);
        var zero = root.Parse([.. common, "--batch-size", "0"]);

        Assert.That(auto.Errors.Select(e => e.Message), Is.Empty);
        Assert.That(zero.Errors.Select(e => e.Message), Is.EqualTo(new[] { "--batch-size '0': expected a positive integer or auto." }));
    }
}
