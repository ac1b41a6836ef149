namespace IclPrune.TestSupport.Checkpoints;

/// <summary>One tiny checkpoint per supported family, for tests that hold for every architecture.</summary>
public static class TinyModels
{
    public static readonly string[] Families = ["gpt2", "gptj", "llama", "mistral", "qwen2", "llama_variant", "gpt_neox", "gpt_neox_sequential"];

    public static TinyCheckpoint Create(string family, long seed = 11) => family switch
    {
        "gpt2" => Gpt2Checkpoints.Create(seed),
        "gptj" => RotaryCheckpoints.GptJ(seed),
        "llama" or "mistral" or "qwen2" or "llama_variant" => RotaryCheckpoints.Llama(family, seed),
        "gpt_neox" => RotaryCheckpoints.GptNeoX(parallelResidual: true, seed),
        "gpt_neox_sequential" => RotaryCheckpoints.GptNeoX(parallelResidual: false, seed),
        _ => throw new ArgumentException(family),
    };
}
