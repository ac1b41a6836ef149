using IclPrune.Runtime;
using TorchSharp;

namespace IclPrune.Tests.Runtime;

public class TorchRuntimeTests
{
    [Test]
    public void EnsureInitialized_PackagedLibTorch_RunsOpsAndReportsCpuBackend()
    {
        TorchRuntime.EnsureInitialized();

        using var product = torch.arange(6, dtype: torch.float32).reshape(2, 3).matmul(torch.ones(3, 1));
        Assert.That(product.data<float>().ToArray(), Is.EqualTo(new[] { 3f, 12f }));
        Assert.That(TorchRuntime.Backend, Is.EqualTo("cpu"));
    }

    [Test]
    public void LibTorchVersion_FromPyTorchVersionFile_ReadsTheVersionAndFlagsAMismatch()
    {
        var torchFolder = Directory.CreateTempSubdirectory("fake-torch-");
        try
        {
            string lib = Directory.CreateDirectory(Path.Combine(torchFolder.FullName, "lib")).FullName;
            File.WriteAllText(Path.Combine(torchFolder.FullName, "version.py"),
                "__version__ = '2.11.0+cu128'\ndebug = False\n");

            string? version = LibTorchVersion.FromLibFolder(lib);

            Assert.That(version, Is.EqualTo("2.11.0+cu128"));
            Assert.That(LibTorchVersion.DiffersFromExpected(version!), Is.True);
            Assert.That(LibTorchVersion.DiffersFromExpected("2.10.1+cu126"), Is.False);
        }
        finally
        {
            torchFolder.Delete(recursive: true);
        }
    }
}
