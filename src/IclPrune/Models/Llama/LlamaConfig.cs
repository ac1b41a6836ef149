namespace IclPrune.Models.Llama;

/// <summary>
/// LLaMA / Mistral / Qwen2 config.json (transformers LlamaConfig, MistralConfig, Qwen2Config): hidden_size,
/// intermediate_size, num_hidden_layers, num_attention_heads, num_key_value_heads (GQA; default = heads),
/// head_dim (default hidden/heads), hidden_act (silu), rms_norm_eps, rope_theta (10000; Llama 3: 500000),
/// rope_scaling (llama3 or linear), attention_bias (llama: false; qwen2: q/k/v always biased), mlp_bias,
/// tie_word_embeddings (false), sliding_window (mistral).
/// </summary>
internal static class LlamaConfig
{
    public static ModelConfig Parse(ConfigJson c, string modelType)
    {
        int hidden = c.PositiveInt("hidden_size");
        int heads = c.PositiveInt("num_attention_heads");
        int kvHeads = c.OptionalPositiveInt("num_key_value_heads") ?? heads;
        int headDim = c.OptionalPositiveInt("head_dim") ?? (hidden % heads == 0
            ? hidden / heads
            : throw new IclPruneException($"{c.Path}: hidden_size {hidden} is not divisible by num_attention_heads {heads} and no head_dim is given."));
        // Qwen2 always has q/k/v biases (no config field); Llama has attention_bias (q/k/v/o) default false.
        bool attentionBias = modelType == "qwen2" || c.Bool("attention_bias", false);
        int? slidingWindow = null;
        if (modelType == "mistral")
            slidingWindow = c.OptionalPositiveInt("sliding_window");
        else if (modelType == "qwen2" && c.Bool("use_sliding_window", false))
            slidingWindow = c.OptionalPositiveInt("sliding_window");
        return new ModelConfig(
            ModelType: modelType,
            VocabSize: c.PositiveInt("vocab_size"),
            HiddenSize: hidden,
            NumLayers: c.PositiveInt("num_hidden_layers"),
            NumHeads: heads,
            NumKeyValueHeads: kvHeads,
            HeadDim: headDim,
            IntermediateSize: c.PositiveInt("intermediate_size"),
            MaxPositions: c.OptionalPositiveInt("max_position_embeddings") ?? 2048,
            NormEpsilon: c.PositiveDouble("rms_norm_eps", 1e-6),
            Activation: ModelConfig.CheckActivation(c, "hidden_act", c.OptionalString("hidden_act") ?? "silu"),
            TieWordEmbeddings: c.Bool("tie_word_embeddings", false),
            Rope: new RopeConfig(headDim, c.PositiveDouble("rope_theta", 10000), Interleaved: false, ParseScaling(c)),
            AttentionBias: attentionBias,
            MlpBias: c.Bool("mlp_bias", false),
            ParallelResidual: false,
            SlidingWindow: slidingWindow,
            BosTokenId: c.OptionalTokenId("bos_token_id"),
            EosTokenId: c.OptionalTokenId("eos_token_id"));
    }

    static RopeScaling? ParseScaling(ConfigJson c)
    {
        if (c.OptionalObject("rope_scaling") is not { } s)
            return null;
        string type = s.OptionalString("rope_type", "type")
            ?? throw new IclPruneException($"{s.Path}: field 'rope_type' is missing.");
        return type switch
        {
            "default" => null,
            "linear" => new RopeScaling("linear", s.OptionalDouble("factor") ?? throw new IclPruneException($"{s.Path}: field 'factor' is missing.")),
            "llama3" => new RopeScaling("llama3",
                s.OptionalDouble("factor") ?? throw new IclPruneException($"{s.Path}: field 'factor' is missing."),
                s.OptionalDouble("low_freq_factor") ?? throw new IclPruneException($"{s.Path}: field 'low_freq_factor' is missing."),
                s.OptionalDouble("high_freq_factor") ?? throw new IclPruneException($"{s.Path}: field 'high_freq_factor' is missing."),
                s.OptionalInt("original_max_position_embeddings") ?? throw new IclPruneException($"{s.Path}: field 'original_max_position_embeddings' is missing.")),
            _ => throw new IclPruneException($"{s.Path}: rope_type '{type}' is not supported; supported: default, linear, llama3."),
        };
    }
}
