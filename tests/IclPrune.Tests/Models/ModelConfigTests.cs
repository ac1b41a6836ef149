using IclPrune.Models;

namespace IclPrune.Tests.Models;

public sealed class ModelConfigTests
{
    static ModelConfig Parse(string json) => ModelConfig.Parse(json, "/x/config.json");

    [Test]
    public void Parse_Gpt2WithNullInner_DefaultsToFourTimesHidden()
    {
        var c = Parse("""{"model_type": "gpt2", "vocab_size": 50257, "n_embd": 768, "n_layer": 12, "n_head": 12, "n_positions": 1024, "n_inner": null}""");
        Assert.That(c.IntermediateSize, Is.EqualTo(3072));
        Assert.That(c.HeadDim, Is.EqualTo(64));
        Assert.That(c.Activation, Is.EqualTo("gelu_new"));
        Assert.That(c.TieWordEmbeddings, Is.True);
        Assert.That(c.Rope, Is.Null);
    }

    [Test]
    public void Parse_GptJ_InterleavedPartialRotary()
    {
        var c = Parse("""{"model_type": "gptj", "vocab_size": 50400, "n_embd": 4096, "n_layer": 28, "n_head": 16, "n_positions": 2048, "rotary_dim": 64}""");
        Assert.That(c.Rope, Is.EqualTo(new RopeConfig(64, 10000, Interleaved: true)));
        Assert.That(c.HeadDim, Is.EqualTo(256));
        Assert.That(c.TieWordEmbeddings, Is.False);
    }

    [Test]
    public void Parse_LlamaWithGqaAndLlama3Scaling_ReadsEveryField()
    {
        var c = Parse("""
            {"model_type": "llama", "vocab_size": 128256, "hidden_size": 4096, "intermediate_size": 14336,
             "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8, "rope_theta": 500000.0,
             "rms_norm_eps": 1e-5, "tie_word_embeddings": false, "max_position_embeddings": 131072,
             "bos_token_id": 128000, "eos_token_id": [128001, 128008],
             "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                              "original_max_position_embeddings": 8192, "rope_type": "llama3"}}
            """);
        Assert.That(c.NumKeyValueHeads, Is.EqualTo(8));
        Assert.That(c.Rope!.Theta, Is.EqualTo(500000));
        Assert.That(c.Rope.Interleaved, Is.False);
        Assert.That(c.Rope.Scaling, Is.EqualTo(new RopeScaling("llama3", 8, 1, 4, 8192)));
        Assert.That(c.EosTokenId, Is.EqualTo(128001));
        Assert.That(c.NormEpsilon, Is.EqualTo(1e-5));
    }

    [Test]
    public void Parse_Qwen2_HasAttentionBiasAndTiedHead()
    {
        var c = Parse("""{"model_type": "qwen2", "vocab_size": 151936, "hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": 24, "num_attention_heads": 14, "num_key_value_heads": 2, "tie_word_embeddings": true, "rope_theta": 1000000.0}""");
        Assert.That(c.AttentionBias, Is.True);
        Assert.That(c.TieWordEmbeddings, Is.True);
        Assert.That(c.HeadDim, Is.EqualTo(64));
    }

    [Test]
    public void Parse_Mistral_KeepsSlidingWindow()
    {
        var c = Parse("""{"model_type": "mistral", "vocab_size": 32000, "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 8, "sliding_window": 4096}""");
        Assert.That(c.SlidingWindow, Is.EqualTo(4096));
        Assert.That(c.AttentionBias, Is.False);
    }

    [Test]
    public void Parse_GptNeoX_PartialRotaryAndParallelResidualFlag()
    {
        var c = Parse("""{"model_type": "gpt_neox", "vocab_size": 50304, "hidden_size": 512, "num_hidden_layers": 6, "num_attention_heads": 8, "intermediate_size": 2048, "max_position_embeddings": 2048, "rotary_pct": 0.25, "use_parallel_residual": false}""");
        Assert.That(c.Rope, Is.EqualTo(new RopeConfig(16, 10000, Interleaved: false)));
        Assert.That(c.ParallelResidual, Is.False);
        Assert.That(c.Activation, Is.EqualTo("gelu"));
    }

    [Test]
    public void Parse_MissingField_ErrorNamesFieldAndFile()
    {
        var e = Assert.Throws<IclPruneException>(() => Parse("""{"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2}"""));
        Assert.That(e!.Message, Does.Contain("intermediate_size").And.Contain("/x/config.json"));
    }

    [Test]
    public void Parse_UnknownModelType_ListsSupported()
    {
        var e = Assert.Throws<IclPruneException>(() => Parse("""{"model_type": "bert"}"""));
        Assert.That(e!.Message, Does.Contain("'bert'").And.Contain("gpt2, gptj, llama, mistral, qwen2, gpt_neox"));
    }

    [Test]
    public void Parse_UnsupportedRopeType_NamesIt()
    {
        var e = Assert.Throws<IclPruneException>(() => Parse("""{"model_type": "llama", "vocab_size": 10, "hidden_size": 8, "intermediate_size": 5, "num_hidden_layers": 1, "num_attention_heads": 2, "rope_scaling": {"rope_type": "yarn", "factor": 4}}"""));
        Assert.That(e!.Message, Does.Contain("rope_type 'yarn'"));
    }

    [Test]
    public void Parse_UnsupportedActivation_NamesField()
    {
        var e = Assert.Throws<IclPruneException>(() => Parse("""{"model_type": "gpt2", "vocab_size": 10, "n_embd": 8, "n_layer": 1, "n_head": 2, "n_positions": 16, "activation_function": "mish"}"""));
        Assert.That(e!.Message, Does.Contain("activation_function").And.Contain("mish"));
    }

    [Test]
    public void Parse_WrongTypedField_NamesValue()
    {
        var e = Assert.Throws<IclPruneException>(() => Parse("""{"model_type": "gpt2", "vocab_size": "many", "n_embd": 8, "n_layer": 1, "n_head": 2, "n_positions": 16}"""));
        Assert.That(e!.Message, Does.Contain("'vocab_size'").And.Contain("\"many\""));
    }

    [Test]
    public void Parse_HeadsNotMultipleOfKvHeads_Throws()
    {
        var e = Assert.Throws<IclPruneException>(() => Parse("""{"model_type": "llama", "vocab_size": 10, "hidden_size": 12, "intermediate_size": 5, "num_hidden_layers": 1, "num_attention_heads": 3, "num_key_value_heads": 2}"""));
        Assert.That(e!.Message, Does.Contain("num_key_value_heads 2"));
    }
}
