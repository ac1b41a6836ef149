using System.CommandLine;
using IclPrune.Models;

namespace IclPrune.Tool.Cli;

/// <summary>--dtype and --device: where and in what precision a command's model runs (loaded or randomly built).</summary>
public sealed class DeviceOptions
{
    public readonly Option<string> DType = new Option<string>("--dtype")
    {
        Description = "Precision of the weights: fp32, bf16 or fp16.",
        DefaultValueFactory = _ => "fp32",
        HelpName = "fp32|bf16|fp16",
    }.Checked(text => ModelLoadOptions.ParseDType(text));

    public readonly Option<string> Device = new Option<string>("--device")
    {
        Description = "cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "cpu",
        HelpName = "DEVICE",
    };   // checked when the model is built: whether CUDA is there needs torch, which --libtorch may still have to load

    public void AddTo(Command command)
    {
        command.Options.Add(DType);
        command.Options.Add(Device);
    }

    public ModelLoadOptions LoadOptions(ParseResult parse) => new()
    {
        DType = ModelLoadOptions.ParseDType(parse.GetValue(DType)!),
        Device = ModelLoadOptions.ParseDevice(parse.GetValue(Device)!),
    };
}
