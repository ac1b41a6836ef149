namespace IclPrune.Models.GptNeoX;

/// <summary>
/// GPT-NeoX / Pythia config.json (transformers GPTNeoXConfig): hidden_size, num_hidden_layers, num_attention_heads,
/// intermediate_size, hidden_act (gelu), rotary_pct (0.25: rotary on the first quarter of each head, half-split),
/// rotary_emb_base or rope_theta (10000), layer_norm_eps (1e-5), use_parallel_residual (true),
/// attention_bias (true), tie_word_embeddings (false).
/// </summary>
internal static class GptNeoXConfig
{
    public static ModelConfig Parse(ConfigJson c)
    {
        int hidden = c.PositiveInt("hidden_size");
        int heads = c.PositiveInt("num_attention_heads");
        if (hidden % heads != 0)
            throw new IclPruneException($"{c.Path}: hidden_size {hidden} is not divisible by num_attention_heads {heads}.");
        int headDim = hidden / heads;
        double rotaryPct = c.OptionalDouble("rotary_pct", "partial_rotary_factor") ?? 0.25;
        if (rotaryPct is <= 0 or > 1)
            throw new IclPruneException($"{c.Path}: field 'rotary_pct' is {rotaryPct}; expected a fraction in (0, 1].");
        c.RejectIf("rope_scaling", c.Has("rope_scaling"), "rope scaling for gpt_neox is not implemented");
        return new ModelConfig(
            ModelType: "gpt_neox",
            VocabSize: c.PositiveInt("vocab_size"),
            HiddenSize: hidden,
            NumLayers: c.PositiveInt("num_hidden_layers"),
            NumHeads: heads,
            NumKeyValueHeads: heads,
            HeadDim: headDim,
            IntermediateSize: c.PositiveInt("intermediate_size"),
            MaxPositions: c.PositiveInt("max_position_embeddings"),
            NormEpsilon: c.PositiveDouble("layer_norm_eps", 1e-5),
            Activation: ModelConfig.CheckActivation(c, "hidden_act", c.OptionalString("hidden_act") ?? "gelu"),
            TieWordEmbeddings: c.Bool("tie_word_embeddings", false),
            // HF: rotary_ndims = int(head_size * rotary_pct).
            Rope: new RopeConfig((int)(headDim * rotaryPct), c.OptionalDouble("rope_theta", "rotary_emb_base") ?? 10000, Interleaved: false),
            AttentionBias: c.Bool("attention_bias", true),
            MlpBias: true,
            ParallelResidual: c.Bool("use_parallel_residual", true),
            SlidingWindow: null,
            BosTokenId: c.OptionalTokenId("bos_token_id"),
            EosTokenId: c.OptionalTokenId("eos_token_id"));
    }
}
