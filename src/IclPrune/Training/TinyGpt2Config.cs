using System.Text.Json.Nodes;

namespace IclPrune.Training;

/// <summary>
/// Sizes of the GPT-2 that train-tiny builds; written out as a Hugging Face config.json (model_type gpt2) so the
/// trained model loads like any GPT-2 checkpoint. Field names follow HF's GPT2Config.
/// </summary>
public sealed record TinyGpt2Config(int VocabSize, int NPositions = 128, int NEmbd = 64, int NLayer = 2, int NHead = 4,
    double LayerNormEpsilon = 1e-5, bool SinusoidalPositions = true)
{
    public int HeadDim => NEmbd / NHead;

    public void Validate()
    {
        if (NEmbd % NHead != 0)
            throw new UsageException($"n_embd {NEmbd} is not divisible by n_head {NHead}.");
        if (VocabSize < 257) throw new UsageException($"vocab_size {VocabSize}: a byte-level vocabulary has at least 257 tokens.");
        if (NLayer < 1 || NPositions < 8) throw new UsageException($"n_layer {NLayer} / n_positions {NPositions} too small.");
    }

    public JsonObject ToHuggingFaceJson(int endOfTextId) => new()
    {
        ["model_type"] = "gpt2",
        ["architectures"] = new JsonArray("GPT2LMHeadModel"),
        ["vocab_size"] = VocabSize,
        ["n_positions"] = NPositions,
        ["n_ctx"] = NPositions,
        ["n_embd"] = NEmbd,
        ["n_layer"] = NLayer,
        ["n_head"] = NHead,
        ["n_inner"] = null,
        ["activation_function"] = "gelu_new",
        ["resid_pdrop"] = 0.0,
        ["embd_pdrop"] = 0.0,
        ["attn_pdrop"] = 0.0,
        ["layer_norm_epsilon"] = LayerNormEpsilon,
        ["initializer_range"] = 0.02,
        ["scale_attn_weights"] = true,
        ["bos_token_id"] = endOfTextId,
        ["eos_token_id"] = endOfTextId,
        ["tie_word_embeddings"] = true,
        ["torch_dtype"] = "float32",
    };
}
