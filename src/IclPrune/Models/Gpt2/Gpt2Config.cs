namespace IclPrune.Models.Gpt2;

/// <summary>
/// GPT-2 config.json (transformers GPT2Config): n_embd, n_layer, n_head, n_positions, n_inner (null: 4 x n_embd),
/// activation_function (gelu_new), layer_norm_epsilon (1e-5). The head is always tied to wte.
/// </summary>
internal static class Gpt2Config
{
    public static ModelConfig Parse(ConfigJson c)
    {
        int hidden = c.PositiveInt("n_embd", "hidden_size");
        int heads = c.PositiveInt("n_head", "num_attention_heads");
        if (hidden % heads != 0)
            throw new IclPruneException($"{c.Path}: n_embd {hidden} is not divisible by n_head {heads}.");
        // These change the attention math (HF GPT2Attention); refusing beats silently computing another model.
        c.RejectIf("scale_attn_by_inverse_layer_idx", c.Bool("scale_attn_by_inverse_layer_idx", false), "per-layer attention scaling is not implemented");
        c.RejectIf("scale_attn_weights", !c.Bool("scale_attn_weights", true), "unscaled attention is not implemented");
        c.RejectIf("add_cross_attention", c.Bool("add_cross_attention", false), "cross-attention (encoder-decoder) is not a causal LM");
        return new ModelConfig(
            ModelType: "gpt2",
            VocabSize: c.PositiveInt("vocab_size"),
            HiddenSize: hidden,
            NumLayers: c.PositiveInt("n_layer", "num_hidden_layers"),
            NumHeads: heads,
            NumKeyValueHeads: heads,
            HeadDim: hidden / heads,
            IntermediateSize: c.OptionalPositiveInt("n_inner") ?? c.Multiple(hidden, 4, "n_embd", "n_inner"),
            MaxPositions: c.PositiveInt("n_positions", "max_position_embeddings"),
            NormEpsilon: c.PositiveDouble("layer_norm_epsilon", 1e-5),
            Activation: ModelConfig.CheckActivation(c, "activation_function", c.OptionalString("activation_function") ?? "gelu_new"),
            TieWordEmbeddings: c.Bool("tie_word_embeddings", true),
            Rope: null,
            AttentionBias: true,
            MlpBias: true,
            ParallelResidual: false,
            SlidingWindow: null,
            BosTokenId: c.OptionalTokenId("bos_token_id"),
            EosTokenId: c.OptionalTokenId("eos_token_id"));
    }
}
