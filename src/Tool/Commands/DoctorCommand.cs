using System.CommandLine;
using System.Reflection;
using IclPrune.Runtime;
using IclPrune.Tool.Cli;
using Spectre.Console;
using TorchSharp;

namespace IclPrune.Tool.Commands;

/// <summary>`doctor`: is torch usable here, which one, from where, on which devices.</summary>
public sealed class DoctorCommand : Command
{
    readonly CliConsole _console;

    public DoctorCommand(CliConsole console) : base("doctor", "Check that torch works here and report versions, backend, devices and the libstdc++ check.")
    {
        _console = console;
        SetAction((parse, _) => Task.FromResult(Execute(parse)));
    }

    int Execute(ParseResult parse)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumn("check").AddColumn("value");
        void Row(string key, string value) => table.AddRow(Markup.Escape(key), Markup.Escape(value));

        Row("tool", ToolVersion());
        Row("TorchSharp", typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown");
        Row("backend", TorchRuntime.Backend);

        string? failure = null;
        try
        {
            TorchRuntime.EnsureInitialized(parse.GetValue(GlobalOptions.LibTorch));
        }
        catch (TorchUnavailableException e)
        {
            failure = e.Message;
        }

        string? libTorchPath = LoadedLibraries.PathOf("libtorch_cpu.so");
        string? libFolder = libTorchPath is null ? null : Path.GetDirectoryName(libTorchPath);
        Row("libtorch loaded from", libFolder ?? "(not loaded)");
        Row("libtorch version", LibTorchVersionText(libFolder));

        string? libTorchSharp = LoadedLibraries.PathOf("libLibTorchSharp.so");
        if (libTorchSharp is not null)
        {
            var check = LibStdCxxCheck.Run(libTorchSharp);
            Row("libstdc++", check.Summary);
            if (!check.Ok) failure ??= "LibTorchSharp needs a libstdc++ newer than this system's and was not patched.";
        }
        else
        {
            Row("libstdc++", "not checked (LibTorchSharp not loaded)");
        }

        if (failure is null)
        {
            bool cuda = torch.cuda.is_available();
            Row("CUDA available", cuda ? "true" : "false");
            if (cuda)
            {
                int count = torch.cuda.device_count();
                var names = CudaDevices.Names(count);
                Row("CUDA devices", $"{count}: " + (names.Count > 0 ? string.Join(", ", names) : "(names unavailable)"));
            }
            Row("threads", torch.get_num_threads().ToString());
        }

        _console.Results.Write(table);
        if (failure is not null)
        {
            _console.Progress.MarkupLineInterpolated($"[red]torch does not work:[/] {failure}");
            return ExitCodes.Failure;
        }
        _console.Results.MarkupLine("[green]torch works.[/]");
        return ExitCodes.Success;
    }

    static string ToolVersion() =>
        typeof(DoctorCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            .Split('+')[0] ?? "unknown";

    static string LibTorchVersionText(string? libFolder)
    {
        if (libFolder is null) return "unknown (libtorch not loaded)";
        string? version = TorchRuntime.ExternalFolder is null
            ? typeof(TorchRuntime).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "LibTorchPackageVersion")?.Value
            : null;
        version ??= LibTorchVersion.FromLibFolder(libFolder);
        if (version is null) return "unknown";
        return LibTorchVersion.DiffersFromExpected(version)
            ? $"{version} (WARNING: TorchSharp was built for libtorch {LibTorchVersion.ExpectedByTorchSharp}; some ops may be missing)"
            : version;
    }
}
