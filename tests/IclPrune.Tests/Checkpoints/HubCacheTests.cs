using IclPrune.Checkpoints;

namespace IclPrune.Tests.Checkpoints;

[NonParallelizable] // sets HF_HUB_CACHE, a process-wide variable
public sealed class HubCacheTests
{
    string _cache = "";
    string? _saved;

    [SetUp]
    public void CreateCache()
    {
        _cache = Directory.CreateTempSubdirectory("hf-cache-").FullName;
        _saved = Environment.GetEnvironmentVariable("HF_HUB_CACHE");
        Environment.SetEnvironmentVariable("HF_HUB_CACHE", _cache);
    }

    [TearDown]
    public void Restore()
    {
        Environment.SetEnvironmentVariable("HF_HUB_CACHE", _saved);
        Directory.Delete(_cache, recursive: true);
    }

    string Snapshot(string repo, string revision)
    {
        string folder = Path.Combine(_cache, repo, "snapshots", revision);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), "{}");
        return folder;
    }

    [Test]
    public void Resolve_HubIdWithRefsMain_ThatSnapshot()
    {
        Snapshot("models--org--tiny", "aaa");
        string main = Snapshot("models--org--tiny", "bbb");
        Directory.CreateDirectory(Path.Combine(_cache, "models--org--tiny", "refs"));
        File.WriteAllText(Path.Combine(_cache, "models--org--tiny", "refs", "main"), "bbb\n");
        Assert.That(HubCache.ResolveModelFolder("org/tiny"), Is.EqualTo(main));
    }

    [Test]
    public void Resolve_IdWithoutOrg_Found()
    {
        string folder = Snapshot("models--gpt2", "c0ffee");
        Assert.That(HubCache.ResolveModelFolder("gpt2"), Is.EqualTo(folder));
    }

    [Test]
    public void Resolve_Folder_ReturnedAsIs()
    {
        string folder = Snapshot("x", "y");
        Assert.That(HubCache.ResolveModelFolder(folder), Is.EqualTo(folder));
    }

    [Test]
    public void Resolve_Unknown_ErrorSaysWhereItLooked()
    {
        var e = Assert.Throws<IclPruneException>(() => HubCache.ResolveModelFolder("meta-llama/Llama-2-7b-hf"));
        Assert.That(e!.Message, Does.Contain(Path.Combine(_cache, "models--meta-llama--Llama-2-7b-hf")));
        Assert.That(e.Message, Does.Contain("nothing is downloaded"));
    }

    [Test]
    public void Resolve_MissingPath_SaysFolderDoesNotExist()
    {
        var e = Assert.Throws<IclPruneException>(() => HubCache.ResolveModelFolder("/no/such/model"));
        Assert.That(e!.Message, Does.Contain("'/no/such/model' does not exist"));
    }

    [Test]
    public void Resolve_BundledAliasWithUnrelatedFolderOfThatName_BundledModelUnlessTheFolderIsACheckpoint()
    {
        string saved = Environment.CurrentDirectory;
        string work = Directory.CreateTempSubdirectory("cwd-").FullName;
        try
        {
            Environment.CurrentDirectory = work;
            Directory.CreateDirectory(Path.Combine(work, "tiny"));   // e.g. a training output folder, no config.json

            string withoutConfig = HubCache.ResolveModelFolder("tiny");
            File.WriteAllText(Path.Combine(work, "tiny", "config.json"), "{}");
            string withConfig = HubCache.ResolveModelFolder("tiny");

            Assert.That(withoutConfig, Is.EqualTo(IclPrune.Models.BundledModels.Resolve("tiny")));
            Assert.That(withConfig, Is.EqualTo(Path.Combine(work, "tiny")));
        }
        finally
        {
            Environment.CurrentDirectory = saved;
            Directory.Delete(work, recursive: true);
        }
    }
}
