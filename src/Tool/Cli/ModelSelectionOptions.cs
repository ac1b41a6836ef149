using System.CommandLine;
using IclPrune.Models;
using IclPrune.Runtime;

namespace IclPrune.Tool.Cli;

/// <summary>--model, --dtype, --device for the pruning commands, and loading the model they name.</summary>
public sealed class ModelSelectionOptions
{
    public readonly Option<string> Model = new("--model", "-m")
    {
        Description = "Checkpoint folder or Hugging Face hub id (resolved offline from the local cache).",
        Required = true,
        HelpName = "MODEL",
    };

    public readonly Option<string> DType = new("--dtype")
    {
        Description = "Precision to load the weights in: fp32, bf16 or fp16.",
        DefaultValueFactory = _ => "fp32",
    };

    public readonly Option<string> Device = new("--device")
    {
        Description = "cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "cpu",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(DType);
        command.Options.Add(Device);
    }

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
