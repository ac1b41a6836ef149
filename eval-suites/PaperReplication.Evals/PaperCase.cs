namespace PaperReplication.Evals;

/// <summary>
/// One row of the paper's headline table (docs/method.md section 4): model, task, the layer/module/rate Algorithm 1 chose,
/// and the reported test accuracies before and after pruning.
/// </summary>
public sealed record PaperCase(string Model, string Task, string Module, int Layer, double Rate, double PaperIcl, double PaperPruned)
{
    public string PruneSpec => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Module}@{Layer}:{Rate}");

    public override string ToString() => $"{Model}_{Task}";

    /// <summary>Checkpoint folder names under ICL_PRUNE_MODELS (the Hugging Face repository names).</summary>
    public const string GptJ = "gpt-j-6b", Llama2 = "Llama-2-7b-hf";

    public static IEnumerable<TestCaseData> All() => new PaperCase[]
    {
        new(GptJ, "sst2", "mlp", 26, 0.95, 0.7527, 0.8437),
        new(GptJ, "agnews", "attn", 27, 0.95, 0.7643, 0.7703),
        new(GptJ, "emoc", "mlp", 26, 0.1, 0.6903, 0.7428),
        new(GptJ, "mrpc", "mlp", 26, 0.0, 0.6649, 0.6649), // the paper's xi* = 0: Algorithm 1 kept the unpruned model
        new(GptJ, "rte", "mlp", 26, 0.99, 0.5688, 0.5797),
        new(GptJ, "cb", "mlp", 26, 0.95, 0.5818, 0.6727),
        new(GptJ, "copa", "mlp", 26, 0.95, 0.58, 0.59),
        new(Llama2, "sst2", "attn", 30, 0.95, 0.9228, 0.9287),
        new(Llama2, "agnews", "mlp", 30, 0.995, 0.7703, 0.8488),
        new(Llama2, "emoc", "mlp", 30, 0.1, 0.7711, 0.7911),
        new(Llama2, "mrpc", "mlp", 30, 0.5, 0.6667, 0.6754),
        new(Llama2, "rte", "attn", 30, 0.9, 0.5616, 0.5797),
        new(Llama2, "cb", "attn", 30, 0.99, 0.8364, 0.8727),
        new(Llama2, "copa", "mlp", 30, 0.5, 0.57, 0.62),
    }.Select(c => new TestCaseData(c).SetArgDisplayNames(c.Model, c.Task));
}
