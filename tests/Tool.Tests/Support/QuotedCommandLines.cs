using System.Text.RegularExpressions;

namespace IclPrune.Tool.Tests.Support;

/// <summary>A command line quoted in a document: where it stands and the arguments it gives the tool.</summary>
public sealed record QuotedCommandLine(string File, int Line, string Text, IReadOnlyList<string> Args)
{
    public override string ToString() => $"{File}:{Line}: {Text}";
}

/// <summary>
/// Finds the tool's command lines in Markdown: after `dotnet icl-prune ` or `dotnet run --project src/Tool -- ` in
/// code blocks and inline code, and inline code of two or more words that starts with one of the tool's command names
/// (the README's command table). Usage notation becomes plain arguments: [optional] and (group) brackets are dropped,
/// `a|b` alternatives give one line each, `...` after a command is dropped, a shell comment or operator ends the line.
/// </summary>
public static partial class QuotedCommandLines
{
    static readonly string[] Prefixes = ["dotnet icl-prune ", "dotnet run --project src/Tool -- "];
    static readonly HashSet<string> ShellOperators = ["&&", "||", ";", ">", ">>", "2>", "2>&1"];

    public static IEnumerable<QuotedCommandLine> In(string file, string markdown, IReadOnlySet<string> commandNames)
    {
        var lines = markdown.Replace("\r\n", "\n").Split('\n');
        bool fenced = false;
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                fenced = !fenced;
                continue;
            }
            int number = i + 1;
            bool code = fenced || line.StartsWith("    ", StringComparison.Ordinal);
            while (code && line.EndsWith('\\') && i + 1 < lines.Length) line = line[..^1] + " " + lines[++i].Trim();
            // Inline code wherever a line has some (list items indented like code blocks too); else a code line whole.
            var texts = line.Contains('`') ? InlineCode().Matches(line).Select(m => m.Groups[1].Value).ToList()
                : code ? [line] : [];
            foreach (string text in texts)
            {
                if (CommandText(text, commandNames) is not { } command) continue;
                foreach (var args in Arguments(command))
                    yield return new QuotedCommandLine(file, number, text.Trim(), args);
            }
        }
    }

    /// <summary>The part of <paramref name="text"/> after the tool's name, or null when it is no command line.</summary>
    static string? CommandText(string text, IReadOnlySet<string> commandNames)
    {
        foreach (string prefix in Prefixes)
        {
            int at = text.IndexOf(prefix, StringComparison.Ordinal);
            if (at >= 0) return text[(at + prefix.Length)..];
        }
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // `export NAME=...` is the shell's export, not the tool's command of that name.
        bool assignment = words.Length > 1 && words[1].Contains('=') && !words[1].StartsWith('-');
        return words.Length > 1 && commandNames.Contains(words[0]) && !assignment ? text : null;
    }

    /// <summary>The argument lists a usage line stands for (one per alternative of an `a|b` token).</summary>
    static IEnumerable<List<string>> Arguments(string command)
    {
        var args = new List<List<string>> { new() };
        bool inGroup = false;
        string? previous = null;
        foreach (string raw in command.Replace("\\|", "|").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw.StartsWith('#') || ShellOperators.Contains(raw)) break;
            if (raw.StartsWith('(')) inGroup = true;
            if (raw == "|")
            {
                if (!inGroup) break;   // a pipe into another program
                continue;              // (--a X | --b Y): both options are checked
            }
            if (raw.EndsWith(')')) inGroup = false;
            string token = raw.Length > 3 && raw.EndsWith("...", StringComparison.Ordinal) ? raw[..^3] : raw;
            token = token.Trim('[', ']', '(', ')');
            bool dots = token.Length > 0 && token.All(c => c == '.');
            if (token.Length == 0 || (dots && previous?.StartsWith("--", StringComparison.Ordinal) != true)) continue;
            // A command word with alternatives is several commands; an option's value `attn|mlp` is one value.
            bool commandWord = previous?.StartsWith('-') != true;
            var alternatives = commandWord && !token.StartsWith('-') && token.Contains('|') ? token.Split('|') : [token];
            args = args.SelectMany(a => alternatives.Select(alt => (List<string>)[.. a, alt])).ToList();
            previous = token;
        }
        return args;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex InlineCode();
}
