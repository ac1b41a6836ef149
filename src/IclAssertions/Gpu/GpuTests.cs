using IclPrune.Runtime;
using NUnit.Framework;
using TorchSharp;

namespace IclAssertions.Gpu;

/// <summary>
/// For tests that need CUDA: tag them [Category(GpuTests.Category)] (so CI can select or exclude them with
/// `--filter TestCategory=Gpu`) and call <see cref="RequireCuda"/> first: it skips (Ignored, with the reason)
/// where torch sees no CUDA device, instead of failing or silently running on the CPU.
/// </summary>
public static class GpuTests
{
    public const string Category = "Gpu";

    public static void RequireCuda()
    {
        string? reason = null;
        try
        {
            TorchRuntime.EnsureInitialized();
            if (!torch.cuda.is_available())
                reason = $"needs CUDA; torch ({TorchRuntime.Backend} backend) sees no CUDA device here (see `dotnet icl-prune doctor`, docs/backends.md)";
        }
        catch (TorchUnavailableException e)
        {
            reason = $"needs CUDA; torch does not load here: {e.Message}";
        }
        if (reason is not null) Assert.Ignore(reason);
    }
}
