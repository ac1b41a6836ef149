namespace IclPrune.Models.GptJ;

/// <summary>
/// GPT-J config.json (transformers GPTJConfig): n_embd, n_layer, n_head, n_positions, rotary_dim (null: whole
/// head; GPT-J-6B: 64 of 256), n_inner (null: 4 x n_embd), activation_function (gelu_new), layer_norm_epsilon,
/// tie_word_embeddings (false). Rotary is interleaved (rotate_every_two) with base 10000.
/// </summary>
internal static class GptJConfig
{
    public static ModelConfig Parse(ConfigJson c)
    {
        int hidden = c.PositiveInt("n_embd", "hidden_size");
        int heads = c.PositiveInt("n_head", "num_attention_heads");
        if (hidden % heads != 0)
            throw new IclPruneException($"{c.Path}: n_embd {hidden} is not divisible by n_head {heads}.");
        int headDim = hidden / heads;
        int rotaryDim = c.OptionalPositiveInt("rotary_dim") ?? headDim;
        // GPT-J's head has its own bias; a head tied to wte is not a GPT-J layout anyone ships.
        c.RejectIf("tie_word_embeddings", c.Bool("tie_word_embeddings", false), "GPT-J's LM head (with bias) is never tied");
        return new ModelConfig(
            ModelType: "gptj",
            VocabSize: c.PositiveInt("vocab_size"),
            HiddenSize: hidden,
            NumLayers: c.PositiveInt("n_layer", "num_hidden_layers"),
            NumHeads: heads,
            NumKeyValueHeads: heads,
            HeadDim: headDim,
            IntermediateSize: c.OptionalPositiveInt("n_inner") ?? c.Multiple(hidden, 4, "n_embd", "n_inner"),
            MaxPositions: c.PositiveInt("n_positions", "max_position_embeddings"),
            NormEpsilon: c.PositiveDouble("layer_norm_epsilon", 1e-5),
            Activation: ModelConfig.CheckActivation(c, "activation_function", c.OptionalString("activation_function") ?? "gelu_new"),
            TieWordEmbeddings: false,
            Rope: new RopeConfig(rotaryDim, Theta: 10000, Interleaved: true),
            AttentionBias: false,
            MlpBias: true,
            ParallelResidual: true,
            SlidingWindow: null,
            BosTokenId: c.OptionalTokenId("bos_token_id"),
            EosTokenId: c.OptionalTokenId("eos_token_id"));
    }
}
