using System.CommandLine;
using IclPrune.Models;
using IclPrune.Runtime;

namespace IclPrune.Tool.Cli;

/// <summary>--model, --dtype, --device for the commands that load a model, and loading the model they name.</summary>
public sealed class ModelSelectionOptions
{
    readonly DeviceOptions _device = new();

    public readonly Option<string> Model = CreateModel();

    /// <summary>--model alone, for commands that read a checkpoint without loading it (`convert`).</summary>
    public static Option<string> CreateModel() => new("--model", "-m")
    {
        Description = "Checkpoint folder, Hugging Face hub id (resolved offline from the local cache) or tiny (the bundled model).",
        Required = true,
        HelpName = "MODEL",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        _device.AddTo(command);
    }

    public LoadedModel Load(ParseResult parse)
    {
        TorchRuntime.EnsureInitialized(parse.GetValue(GlobalOptions.LibTorch));
        return ModelLoader.Load(parse.GetValue(Model)!, _device.LoadOptions(parse));
    }
}
