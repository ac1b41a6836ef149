using System.CommandLine;
using IclPrune.Models;
using IclPrune.Runtime;

namespace IclPrune.Tool.Cli;

/// <summary>
/// --model / --device / --dtype for every command that loads a checkpoint. One instance per command (a System.CommandLine
/// option belongs to one command): <c>var model = new ModelOptions(); model.AddTo(this); ... model.Load(parse)</c>.
/// </summary>
public sealed class ModelOptions
{
    public readonly Option<string> Model = new("--model")
    {
        Description = "Checkpoint folder (config.json + *.safetensors) or a hub id found in the local Hugging Face cache (e.g. gpt2).",
        Required = true,
        HelpName = "FOLDER|HUB_ID",
    };

    public readonly Option<string> Device = new("--device")
    {
        Description = "cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "cpu",
    };

    public readonly Option<string> DType = new("--dtype")
    {
        Description = "Weights and activations precision: fp32, bf16 or fp16.",
        DefaultValueFactory = _ => "fp32",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Device);
        command.Options.Add(DType);
    }

    /// <summary>Initializes torch (honouring --libtorch) and loads the model named on the command line.</summary>
    public LoadedModel Load(ParseResult parse)
    {
        TorchRuntime.EnsureInitialized(parse.GetValue(GlobalOptions.LibTorch));
        var options = new ModelLoadOptions
        {
            DType = ModelLoadOptions.ParseDType(parse.GetValue(DType)!),
            Device = ModelLoadOptions.ParseDevice(parse.GetValue(Device)!),
        };
        return ModelLoader.Load(parse.GetValue(Model)!, options);
    }
}
