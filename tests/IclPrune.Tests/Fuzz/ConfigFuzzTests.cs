using System.Text.Json;
using System.Text.Json.Nodes;
using IclPrune.Models;
using IclPrune.Runtime;
using IclPrune.Tests.Models;

namespace IclPrune.Tests.Fuzz;

/// <summary>
/// Malformed config.json files, loaded through the real <see cref="ModelLoader"/> beside valid weights: every field of
/// each family's tiny checkpoint replaced, one at a time, by values of the wrong type or out of range, plus configs
/// whose sizes would need terabytes. Each must be refused with an error naming config.json, before any allocation.
/// </summary>
[NonParallelizable]
public sealed class ConfigFuzzTests
{
    static readonly string[] Families = ["gpt2", "gptj", "llama", "mistral", "llama_variant", "gpt_neox"];
    readonly Dictionary<string, TinyCheckpoint> _bases = new();

    static readonly string[] WrongSizes = ["\"12\"", "-1", "0", "1.5", "true", "[]", "{}", "3000000000"];
    static readonly string[] WrongPositiveNumbers = ["\"1e-5\"", "-1e-5", "0", "true", "[]", "{}", "1e400"];
    static readonly string[] WrongTokenIds = ["\"1314\"", "-1", "1.5", "true", "{}", "[\"a\"]", "3000000000", "[1, \"2\"]"];
    static readonly string[] WrongBools = ["\"true\"", "1", "[]", "{}"];
    static readonly string[] WrongActivations = ["1", "\"nope\"", "[]", "true"];
    static readonly string[] WrongRopeScalings =
    [
        "\"linear\"", "1", "[]", """{"rope_type":"linear"}""", """{"rope_type":"nope","factor":2}""",
        """{"rope_type":"linear","factor":-2}""", """{"rope_type":"llama3","factor":4}""", """{"type":"linear","factor":"2"}""",
        """{"rope_type":"llama3","factor":4,"low_freq_factor":4,"high_freq_factor":1,"original_max_position_embeddings":16}""",
    ];
    static readonly string[] WrongModelTypes = ["\"gpt3\"", "1", "null", "[]", "\"\""];

    /// <summary>The fields each family's tiny checkpoint writes, by kind (Models/*Checkpoints.cs).</summary>
    static readonly Dictionary<string, (string[] Sizes, string[] Numbers, string[] Ids, string[] Bools, string Activation)> Fields = new()
    {
        ["gpt2"] = (["vocab_size", "n_embd", "n_head", "n_layer", "n_inner", "n_positions"], ["layer_norm_epsilon"],
            ["bos_token_id", "eos_token_id"], [], "activation_function"),
        ["gptj"] = (["vocab_size", "n_embd", "n_head", "n_layer", "n_inner", "n_positions", "rotary_dim"], ["layer_norm_epsilon"],
            [], ["tie_word_embeddings"], "activation_function"),
        ["llama"] = (["vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
            "max_position_embeddings"], ["rms_norm_eps", "rope_theta"], ["bos_token_id", "eos_token_id"], ["tie_word_embeddings"], "hidden_act"),
        ["mistral"] = (["vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads", "num_key_value_heads",
            "max_position_embeddings", "sliding_window"], ["rms_norm_eps", "rope_theta"], ["bos_token_id", "eos_token_id"], ["tie_word_embeddings"], "hidden_act"),
        ["llama_variant"] = (["head_dim"], [], [], ["attention_bias", "mlp_bias"], "hidden_act"),
        ["gpt_neox"] = (["vocab_size", "hidden_size", "num_attention_heads", "num_hidden_layers", "intermediate_size", "max_position_embeddings"],
            ["layer_norm_eps", "rotary_emb_base", "rotary_pct"], [], ["use_parallel_residual", "tie_word_embeddings"], "hidden_act"),
    };

    static IEnumerable<TestCaseData> Cases()
    {
        TestCaseData Case(string family, string field, string json, string name) =>
            new TestCaseData(family, field, json).SetName($"Load_{family}_{field}_{name}_Rejected");

        foreach (var (family, f) in Fields)
        {
            foreach (string field in f.Sizes)
                for (int i = 0; i < WrongSizes.Length; i++) yield return Case(family, field, WrongSizes[i], $"size{i}");
            foreach (string field in f.Numbers)
                for (int i = 0; i < WrongPositiveNumbers.Length; i++) yield return Case(family, field, WrongPositiveNumbers[i], $"number{i}");
            foreach (string field in f.Ids)
                for (int i = 0; i < WrongTokenIds.Length; i++) yield return Case(family, field, WrongTokenIds[i], $"id{i}");
            foreach (string field in f.Bools)
                for (int i = 0; i < WrongBools.Length; i++) yield return Case(family, field, WrongBools[i], $"bool{i}");
            for (int i = 0; i < WrongActivations.Length; i++) yield return Case(family, f.Activation, WrongActivations[i], $"activation{i}");
            for (int i = 0; i < WrongModelTypes.Length; i++) yield return Case(family, "model_type", WrongModelTypes[i], $"type{i}");
        }
        for (int i = 0; i < WrongRopeScalings.Length; i++) yield return Case("llama", "rope_scaling", WrongRopeScalings[i], $"scaling{i}");
        yield return Case("gpt_neox", "rotary_pct", "1.5", "above1");
        yield return Case("gpt2", "n_head", "5", "notDividingNEmbd");
        yield return Case("llama", "num_key_value_heads", "3", "notDividingHeads");
        yield return Case("gptj", "rotary_dim", "5", "odd");
        yield return Case("gptj", "rotary_dim", "64", "aboveHeadSize");
    }

    [OneTimeSetUp]
    public void CreateBases()
    {
        TorchRuntime.EnsureInitialized();
        foreach (string family in Families) _bases[family] = TinyModels.Create(family);
    }

    [OneTimeTearDown]
    public void DeleteBases()
    {
        foreach (var checkpoint in _bases.Values) checkpoint.Dispose();
    }

    /// <summary>A folder with the family's weights (linked, not copied) and the given config text.</summary>
    string FolderWith(string family, string configText)
    {
        string folder = Directory.CreateTempSubdirectory("fuzz-config-").FullName;
        foreach (string weights in Directory.GetFiles(_bases[family].Folder, "*.safetensors*"))
            File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(weights)), weights);
        File.WriteAllText(Path.Combine(folder, ModelConfig.FileName), configText);
        return folder;
    }

    IclPruneException LoadRejected(string family, string configText)
    {
        string folder = FolderWith(family, configText);
        try
        {
            return FuzzOutcome.ExpectRejected(() => ModelLoader.Load(folder), mustName: folder);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    string ConfigWith(string family, string field, string json)
    {
        var config = JsonNode.Parse(JsonSerializer.Serialize(_bases[family].Config))!.AsObject();
        Assert.That(config.ContainsKey(field) || field == "rope_scaling", $"the {family} base config has '{field}'");
        config[field] = JsonNode.Parse(json);
        return config.ToJsonString();
    }

    [TestCaseSource(nameof(Families))]
    public void Load_UnmutatedConfig_IsAccepted(string family)
    {
        string folder = FolderWith(family, JsonSerializer.Serialize(_bases[family].Config));
        try
        {
            using var loaded = ModelLoader.Load(folder);
            Assert.That(loaded.Config.ModelType, Is.EqualTo(_bases[family].Config["model_type"]));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void Load_MutatedField_Rejected(string family, string field, string json)
    {
        var e = LoadRejected(family, ConfigWith(family, field, json));
        Assert.That(e.Message, Does.Contain("config.json").Or.Contain("weights do not match"));
    }

    [TestCase("[]", TestName = "Load_ConfigIsAnArray_Rejected")]
    [TestCase("", TestName = "Load_ConfigIsEmpty_Rejected")]
    [TestCase("null", TestName = "Load_ConfigIsNull_Rejected")]
    [TestCase("{\"model_type\": \"gpt2\",", TestName = "Load_ConfigIsCut_Rejected")]
    [TestCase("{}", TestName = "Load_ConfigIsEmptyObject_Rejected")]
    public void Load_NotAConfig_Rejected(string text) => LoadRejected("gpt2", text);

    [TestCase("vocab_size", "400000000", "n_embd", "768", TestName = "Load_VocabOf400MillionTimes768_RefusedAsTooLarge")]
    [TestCase("vocab_size", "2147483647", "n_embd", "24", TestName = "Load_VocabOf2Pow31_RefusedAsTooLarge")]
    [TestCase("n_embd", "1073741824", "n_head", "1", TestName = "Load_NEmbdOf2Pow30_RefusedAsTooLarge")]
    public void Load_HugeSizes_RefusedWithNeededAndAvailableMemory(string field, string value, string other, string otherValue)
    {
        var config = JsonNode.Parse(ConfigWith("gpt2", field, value))!.AsObject();
        config[other] = JsonNode.Parse(otherValue);
        config["n_inner"] = null; // the default (4 x n_embd) follows the huge size
        var e = LoadRejected("gpt2", config.ToJsonString());
        Assert.That(e.Message, Does.Match(@"needs [\d.]+ GB as fp32, [\d.]+ GB available").Or.Contain("overflows"));
    }
}
