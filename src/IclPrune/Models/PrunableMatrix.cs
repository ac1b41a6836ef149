namespace IclPrune.Models;

/// <summary>
/// A weight matrix the paper's method may rank-reduce: its module group ("attn" or "mlp", docs/method.md section 1) and its
/// Hugging Face parameter name (a key of <see cref="ICausalLanguageModel.NamedParameters"/>). Fused matrices
/// (GPT-2 c_attn, NeoX query_key_value) are listed whole.
/// </summary>
public sealed record PrunableMatrix(string Group, string Name);
