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

    public static readonly Option<string> Progress = AcceptingModes(new Option<string>("--progress")
    {
        Description = "Progress on stderr: auto (bars on a terminal, plain lines when redirected or CI is set), plain, " +
                      "or json (one JSON object per line).",
        DefaultValueFactory = _ => Cli.Progress.ProgressModes.Auto,
        Recursive = true,
        HelpName = "auto|plain|json",
    });

    static Option<string> AcceptingModes(Option<string> option)
    {
        option.AcceptOnlyFromAmong(Cli.Progress.ProgressModes.Auto, "plain", "json");
        return option;
    }
}
