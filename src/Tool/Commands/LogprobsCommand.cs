using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using IclPrune.Models;
using IclPrune.Tool.Cli;
using Spectre.Console;

namespace IclPrune.Tool.Commands;

/// <summary>
/// `logprobs`: the log-probability of each token given the ones before it, and their sum. Text is tokenized with the
/// checkpoint's tokenizer (BOS prepended where tokenizer_config.json says so). JSON: {"tokens", "token_ids",
/// "logprobs", "sum"}; logprobs[i] belongs to tokens[i + 1] (the first token has no context); a NaN/inf value (a broken
/// model) is null, with a warning on stderr.
/// </summary>
public sealed class LogprobsCommand : Command
{
    readonly CliConsole _console;
    readonly ModelSelectionOptions _model = new();
    readonly Option<string?> _text = new("--text") { Description = "Text to score." };
    readonly Option<string?> _tokenIds = new("--token-ids") { Description = "Token ids to score, comma-separated (e.g. 1,2,3).", HelpName = "IDS" };
    readonly Option<bool> _json = new("--json") { Description = "Print JSON for machines." };

    public LogprobsCommand(CliConsole console) : base("logprobs", "Log-probability of each token of a text (or token ids) under a model.")
    {
        _console = console;
        _model.AddTo(this);
        Options.Add(_text);
        Options.Add(_tokenIds);
        Options.Add(_json);
        SetAction((parse, _) => Task.FromResult(Execute(parse)));
    }

    int Execute(ParseResult parse)
    {
        string? text = parse.GetValue(_text), idsText = parse.GetValue(_tokenIds);
        if ((text is null) == (idsText is null))
            throw new UsageException("give exactly one of --text or --token-ids.");
        var parsedIds = idsText is null ? null : ParseIds(idsText);
        using var loaded = _model.Load(parse);
        List<long> ids;
        if (parsedIds is not null)
            ids = parsedIds;
        else
        {
            var tokenizer = loaded.Tokenizer;
            ids = tokenizer.Encode(text!).Select(i => (long)i).ToList();
            if (tokenizer.AddBosToken && tokenizer.BosTokenId is { } bos)
                ids.Insert(0, bos);
        }
        var logProbs = TokenLogProbs.Compute(loaded.Model, ids);
        var tokens = ids.Select(id => loaded.HasTokenizer ? loaded.Tokenizer.TokenText((int)id) : id.ToString(CultureInfo.InvariantCulture)).ToList();
        double sum = logProbs.Sum();
        int nonFinite = logProbs.Count(x => !double.IsFinite(x));
        if (nonFinite > 0)
            _console.Progress.MarkupLineInterpolated(
                $"[yellow]warning:[/] the model produced NaN/inf for {nonFinite} of {logProbs.Length} log-probs{(parse.GetValue(_json) ? " (printed as null)" : "")}; check the checkpoint's weights and config.json.");

        if (parse.GetValue(_json))
        {
            // JSON has no NaN or Infinity: a non-finite value is printed as null rather than failing the whole output.
            static double? Finite(double x) => double.IsFinite(x) ? x : null;
            _console.Output.WriteLine(JsonSerializer.Serialize(new { tokens, token_ids = ids, logprobs = logProbs.Select(Finite), sum = Finite(sum) }));
            return ExitCodes.Success;
        }
        var table = new Table().Border(TableBorder.Simple).AddColumn("#").AddColumn("token").AddColumn("id").AddColumn("logprob");
        for (int i = 0; i < ids.Count; i++)
            table.AddRow(i.ToString(CultureInfo.InvariantCulture), Markup.Escape(JsonSerializer.Serialize(tokens[i])),
                ids[i].ToString(CultureInfo.InvariantCulture), i == 0 ? "-" : logProbs[i - 1].ToString("F4", CultureInfo.InvariantCulture));
        _console.Results.Write(table);
        _console.Results.MarkupLine($"sum of {logProbs.Length} logprobs: {sum.ToString("F4", CultureInfo.InvariantCulture)}");
        return ExitCodes.Success;
    }

    static List<long> ParseIds(string text)
    {
        var ids = new List<long>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out long id) || id < 0)
                throw new UsageException($"--token-ids: '{part}' is not a non-negative integer.");
            ids.Add(id);
        }
        return ids;
    }
}
