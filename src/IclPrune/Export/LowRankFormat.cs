namespace IclPrune.Export;

/// <summary>
/// The factorized export format (docs/pruning.md): a Hugging Face folder whose model.safetensors holds, for each
/// factorized matrix P, two tensors "P.lowrank_a" [rows, r] and "P.lowrank_b" [r, cols] (same orientation as P, P =
/// A B, singular values folded into A) instead of P itself, plus lowrank.json listing them. Everything else is as
/// in a dense export. Matrices pruned as a slice of a fused matrix (GPT-2 c_attn, NeoX query_key_value q/k/v) are
/// stored dense: a factorized slice would not save the rest of the fused matrix.
/// </summary>
public sealed record LowRankManifest(string Format, int Version, IReadOnlyList<string> Specs, IReadOnlyList<LowRankMatrix> Matrices)
{
    public const string FileName = "lowrank.json";
    public const string FormatName = "icl-prune-lowrank";
    public const string SuffixA = ".lowrank_a";
    public const string SuffixB = ".lowrank_b";
}

/// <summary>One factorized parameter: its name, full shape and kept rank.</summary>
public sealed record LowRankMatrix(string Parameter, long Rows, long Columns, int Rank);

/// <summary>What an export wrote, and what factorizing saved (parameters and bytes of the weights file).</summary>
public sealed record ExportReport(
    string Folder, bool Factorized, IReadOnlyList<string> Specs, long DenseParameters, long StoredParameters,
    long DenseBytes, long StoredBytes, IReadOnlyList<LowRankMatrix> FactorizedMatrices, IReadOnlyList<string> DenseSlices)
{
    public long ParametersSaved => DenseParameters - StoredParameters;
    public long BytesSaved => DenseBytes - StoredBytes;
}
