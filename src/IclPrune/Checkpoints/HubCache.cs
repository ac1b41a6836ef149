namespace IclPrune.Checkpoints;

/// <summary>
/// Resolves what a user passes as --model: a checkpoint folder, or a hub id (gpt2, meta-llama/Llama-2-7b-hf) found
/// offline in the Hugging Face cache layout &lt;root&gt;/models--org--name/snapshots/&lt;revision&gt;/ (the revision that
/// refs/main names, else the newest snapshot). Roots, in huggingface_hub's order: HF_HUB_CACHE, HF_HOME/hub,
/// XDG_CACHE_HOME/huggingface/hub, ~/.cache/huggingface/hub. Nothing is downloaded.
/// </summary>
public static class HubCache
{
    public static IReadOnlyList<string> CacheRoots()
    {
        var roots = new List<string>();
        void Add(string? path)
        {
            if (!string.IsNullOrWhiteSpace(path) && !roots.Contains(path))
                roots.Add(path);
        }
        Add(Environment.GetEnvironmentVariable("HF_HUB_CACHE"));
        if (Environment.GetEnvironmentVariable("HF_HOME") is { Length: > 0 } home)
            Add(Path.Combine(home, "hub"));
        if (Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg)
            Add(Path.Combine(xdg, "huggingface", "hub"));
        Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "huggingface", "hub"));
        return roots;
    }

    /// <summary>The folder holding config.json for <paramref name="folderOrHubId"/>.</summary>
    public static string ResolveModelFolder(string folderOrHubId)
    {
        if (string.IsNullOrWhiteSpace(folderOrHubId))
            throw new UsageException("the model name is empty: give a checkpoint folder, a hub id such as gpt2, or tiny.");
        // A bundled model's alias, unless a checkpoint folder of that name (one with config.json) is in the working
        // directory: any other folder called e.g. `tiny` (training output, notes) must not shadow the bundled model.
        var bundled = Models.BundledModels.Resolve(folderOrHubId);
        if (Directory.Exists(folderOrHubId) && (bundled is null || File.Exists(Path.Combine(folderOrHubId, "config.json"))))
            return Path.GetFullPath(folderOrHubId);
        if (bundled is not null)
            return File.Exists(Path.Combine(bundled, "config.json"))
                ? bundled
                : throw new IclPruneException($"the bundled model '{folderOrHubId}' is missing from {bundled} (a broken install or build).");
        bool looksLikePath = folderOrHubId.StartsWith('/') || folderOrHubId.StartsWith('.') || folderOrHubId.StartsWith('~')
            || folderOrHubId.Contains('\\') || folderOrHubId.Count(c => c == '/') > 1;
        if (looksLikePath)
            throw new IclPruneException($"model folder '{folderOrHubId}' does not exist.");

        string repoFolder = "models--" + folderOrHubId.Replace("/", "--");
        var looked = new List<string>();
        foreach (var root in CacheRoots())
        {
            string repo = Path.Combine(root, repoFolder);
            looked.Add(repo);
            if (!Directory.Exists(repo))
                continue;
            if (Snapshot(repo) is { } snapshot)
                return snapshot;
        }
        throw new IclPruneException(
            $"model '{folderOrHubId}' is not a folder and is not in the local Hugging Face cache (nothing is downloaded); " +
            $"looked in: {string.Join(", ", looked)}. Download it with `huggingface-cli download {folderOrHubId}` or pass its folder.");
    }

    static string? Snapshot(string repo)
    {
        string snapshots = Path.Combine(repo, "snapshots");
        if (!Directory.Exists(snapshots))
            return null;
        string mainRef = Path.Combine(repo, "refs", "main");
        if (File.Exists(mainRef))
        {
            string revision = File.ReadAllText(mainRef).Trim();
            string pinned = Path.Combine(snapshots, revision);
            if (revision.Length > 0 && File.Exists(Path.Combine(pinned, "config.json")))
                return pinned;
        }
        return Directory.GetDirectories(snapshots)
            .Where(d => File.Exists(Path.Combine(d, "config.json")))
            .OrderByDescending(Directory.GetLastWriteTimeUtc)
            .FirstOrDefault();
    }
}
