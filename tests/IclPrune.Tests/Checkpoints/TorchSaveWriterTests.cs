using System.IO.Compression;
using IclPrune.Checkpoints;
using IclPrune.Runtime;
using static IclPrune.Tests.Checkpoints.TorchZipTestData;

namespace IclPrune.Tests.Checkpoints;

/// <summary>The test-only C# writer must reproduce make_torch_zip.py's file (CPython's pickle) byte for byte.</summary>
public sealed class TorchSaveWriterTests
{
    [OneTimeSetUp]
    public void InitTorch() => TorchRuntime.EnsureInitialized();

    [Test]
    public void Save_SampleStateDict_ByteIdenticalToPythonPickleFile()
    {
        // The storages (with their bytes outside every view) come from the Python file's zip entries; the views
        // from the reader. Same storage objects for the same key, so tied weights stay tied.
        using var file = TorchBinFile.Open(SingleFile);
        using var zip = ZipFile.OpenRead(SingleFile);
        var storages = new Dictionary<string, TorchSaveStorage>();
        var tensors = new List<TorchSaveTensor>();
        foreach (var (name, entry) in file.Entries)
        {
            var s = entry.View.Storage;
            if (!storages.TryGetValue(s.Key, out var storage))
            {
                using var stream = zip.GetEntry($"pytorch_model/data/{s.Key}")!.Open();
                var bytes = new byte[s.ElementCount * s.Type.ElementSize];
                stream.ReadExactly(bytes);
                storages[s.Key] = storage = new TorchSaveStorage(s.Type, bytes);
            }
            tensors.Add(new TorchSaveTensor(name, storage, entry.View.StorageOffset, entry.View.Size, entry.View.Stride));
        }
        string dir = Directory.CreateTempSubdirectory("torch-save-").FullName;
        try
        {
            string path = Path.Combine(dir, "pytorch_model.bin");
            TorchSaveWriter.Save(path, tensors, metadataModules: ["", "h.0"]);
            var expected = File.ReadAllBytes(SingleFile);
            var actual = File.ReadAllBytes(path);
            int firstDiff = Enumerable.Range(0, Math.Min(expected.Length, actual.Length)).FirstOrDefault(i => expected[i] != actual[i], -1);
            Assert.That(firstDiff, Is.EqualTo(-1), "first differing byte");
            Assert.That(actual.Length, Is.EqualTo(expected.Length));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
