using IclPrune.Evaluation.Data;
using IclPrune.Evaluation.Tasks;
using IclPrune.Tokenization;

namespace IclPrune.Evaluation.Prompts;

/// <summary>
/// encode(demonstrations + query) for many queries behind the same demonstrations, without re-encoding all the
/// demonstrations for every query. Exact: the split point is the boundary before the last demonstration, used only
/// after checking that encoding across it equals encoding either side (true for byte-level BPE, whose pre-tokenizer
/// has no look-behind, when the boundary is a pre-token boundary; false for SentencePiece with a dummy prefix, which
/// then falls back to encoding the whole string per query).
/// </summary>
internal sealed class PromptEncoder
{
    readonly ITextTokenizer _tokenizer;
    readonly string _prefixText;
    readonly long[]? _head;      // BOS + encode(all demonstrations but the last), when the split is exact
    readonly string _tailText;   // the last demonstration + separator

    public PromptEncoder(TaskDefinition task, ITextTokenizer tokenizer, IReadOnlyList<Example> demonstrations)
    {
        _tokenizer = tokenizer;
        _prefixText = PromptRenderer.Prefix(task, demonstrations);
        Prefix = Encode(tokenizer, _prefixText, withBos: true);
        _tailText = demonstrations.Count == 0 ? "" : PromptRenderer.Prefix(task, demonstrations.Skip(demonstrations.Count - 1));
        var head = Encode(tokenizer, _prefixText[..^_tailText.Length], withBos: true);
        var tail = Encode(tokenizer, _tailText, withBos: false);
        if (Prefix.AsSpan().SequenceEqual([.. head, .. tail])) _head = head;
    }

    /// <summary>Whether queries re-encode only the last demonstration (false: the whole prompt per query).</summary>
    internal bool SplitsAtLastDemonstration => _head is not null;

    /// <summary>BOS (if the tokenizer adds one) + encode(demonstrations).</summary>
    public long[] Prefix { get; }

    /// <summary>BOS (if the tokenizer adds one) + encode(demonstrations + query), as one string would encode.</summary>
    public long[] Prompt(string query) => _head is null
        ? Encode(_tokenizer, _prefixText + query, withBos: true)
        : [.. _head, .. Encode(_tokenizer, _tailText + query, withBos: false)];

    /// <summary>The tokenizer's ids for <paramref name="text"/>, after BOS when asked and the tokenizer adds one.</summary>
    internal static long[] Encode(ITextTokenizer tokenizer, string text, bool withBos)
    {
        var ids = text.Length == 0 ? [] : tokenizer.Encode(text);
        bool bos = withBos && tokenizer.AddBosToken && tokenizer.BosTokenId is not null;
        var result = new long[ids.Count + (bos ? 1 : 0)];
        if (bos) result[0] = tokenizer.BosTokenId!.Value;
        for (int i = 0; i < ids.Count; i++) result[i + (bos ? 1 : 0)] = ids[i];
        return result;
    }
}
