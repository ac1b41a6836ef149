using System.Security.Cryptography;
using System.Text;

namespace IclPrune.Checkpoints;

/// <summary>
/// A stable identity of a checkpoint's content: SHA-256 over config.json and the weights. Weights of up to
/// <see cref="FullHashLimitBytes"/> are hashed completely. Above that (a 7B model is 13 GB) we hash every shard's name,
/// size and whole header (names, dtypes, shapes, offsets) plus, for EVERY tensor, its first, middle and last
/// <see cref="SampleBytes"/> bytes: one changed matrix (a pruned one changes nearly all its bytes) changes the
/// fingerprint, at the cost of three small reads per tensor instead of reading 13 GB. A change confined to bytes
/// outside the samples of a tensor would go unnoticed: acceptable for cache keys and reports, not a security hash.
/// </summary>
public static class ModelFingerprint
{
    public const long FullHashLimitBytes = 256L << 20;
    public const int SampleBytes = 4096;

    /// <summary>Bytes between two samples of a large .bin file (see <see cref="ComputeFromFiles"/>).</summary>
    public const long BinSampleSpacing = 1L << 20;

    /// <summary>The fingerprint of whichever format <paramref name="checkpoint"/> reads.</summary>
    public static string Compute(string configJson, ICheckpointReader checkpoint) => checkpoint switch
    {
        SafetensorsCheckpoint safetensors => Compute(configJson, safetensors),
        _ => ComputeFromFiles(configJson, checkpoint.FilePaths),
    };

    public static string Compute(string configJson, SafetensorsCheckpoint checkpoint)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(configJson));
        long total = checkpoint.Files.Sum(f => f.Length);
        bool full = total <= FullHashLimitBytes;
        var buffer = new byte[1 << 20];
        foreach (var file in checkpoint.Files.OrderBy(f => Path.GetFileName(f.Path), StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFileName(file.Path)}:{file.Length}\n"));
            if (full)
            {
                for (long offset = 0; offset < file.Length; offset += buffer.Length)
                {
                    int count = (int)Math.Min(buffer.Length, file.Length - offset);
                    file.ReadBytes(offset, buffer.AsSpan(0, count));
                    hash.AppendData(buffer, 0, count);
                }
                continue;
            }
            var header = new byte[file.Header.DataStart];
            file.ReadBytes(0, header);
            hash.AppendData(header);
            foreach (var entry in file.Entries.Values.OrderBy(e => e.Begin))
            {
                foreach (long start in SampleStarts(entry.ByteLength))
                {
                    int count = (int)Math.Min(SampleBytes, entry.ByteLength - start);
                    file.ReadBytes(file.Header.DataStart + entry.Begin + start, buffer.AsSpan(0, count));
                    hash.AppendData(buffer, 0, count);
                }
            }
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    static IEnumerable<long> SampleStarts(long length)
    {
        if (length <= 3L * SampleBytes)
        {
            for (long start = 0; start < length; start += SampleBytes)
                yield return start; // small tensors: every byte
            yield break;
        }
        yield return 0;
        yield return length / 2 - SampleBytes / 2;
        yield return length - SampleBytes;
    }

    /// <summary>
    /// For weight files whose tensor layout we do not parse here (pytorch_model.bin: a zip): up to
    /// <see cref="FullHashLimitBytes"/> in total every byte; above it each file's name and size, its first MiB (which
    /// holds data.pkl, i.e. every tensor's name, dtype, shape and storage, in torch.save's layout) and a
    /// <see cref="SampleBytes"/> sample every <see cref="BinSampleSpacing"/> bytes and at the end. A pruned tensor of a
    /// 6B model (>= 16 MB) changes many samples; a change confined to less than 1 MiB can go unnoticed.
    /// </summary>
    static string ComputeFromFiles(string configJson, IReadOnlyList<string> files)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(configJson));
        var lengths = files.ToDictionary(f => f, f => new FileInfo(f).Length);
        bool full = lengths.Values.Sum() <= FullHashLimitBytes;
        var buffer = new byte[1 << 20];
        foreach (var path in files.OrderBy(f => Path.GetFileName(f), StringComparer.Ordinal))
        {
            long length = lengths[path];
            hash.AppendData(Encoding.UTF8.GetBytes($"{Path.GetFileName(path)}:{length}\n"));
            using var handle = File.OpenHandle(path);
            void Append(long offset, int count)
            {
                var span = buffer.AsSpan(0, count);
                int done = 0;
                while (done < count)
                {
                    int read = RandomAccess.Read(handle, span[done..], offset + done);
                    if (read == 0)
                        throw new IclPruneException($"{path}: unexpected end of file at offset {offset + done}.");
                    done += read;
                }
                hash.AppendData(span);
            }
            if (full)
            {
                for (long offset = 0; offset < length; offset += buffer.Length)
                    Append(offset, (int)Math.Min(buffer.Length, length - offset));
                continue;
            }
            Append(0, (int)Math.Min(buffer.Length, length));
            for (long offset = buffer.Length; offset + SampleBytes <= length; offset += BinSampleSpacing)
                Append(offset, SampleBytes);
            Append(Math.Max(0, length - SampleBytes), (int)Math.Min(SampleBytes, length));
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
