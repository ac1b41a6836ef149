using System.CommandLine;

namespace IclPrune.Tool.Cli;

/// <summary>Options every command accepts.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> LibTorch = new("--libtorch")
    {
        Description = "Folder holding libtorch (libc10.so, libtorch_cpu.so, libtorch.so), e.g. <site-packages>/torch/lib. " +
                      "Also read from ICL_PRUNE_LIBTORCH.",
        Recursive = true,
        HelpName = "DIR",
    };
}
