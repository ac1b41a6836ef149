using System.Buffers.Binary;

namespace IclPrune.Evaluation.Data;

/// <summary>
/// The frame of a Parquet file, checked before Parquet.Net parses it: "PAR1", the data, the footer (Thrift
/// FileMetaData), its 4-byte little-endian length, "PAR1" (parquet-format README, "File Format"). Parquet.Net trusts
/// the footer, and on some noise it never returns (issue 17's fuzz), so a footer that cannot fit the file or is not
/// well-formed Thrift (<see cref="ThriftCompactCheck"/>) is refused here, and the parser reads through <see cref="EndCheckedStream"/>, which turns a read past the end into an
/// error instead of an endless stream of zero-byte reads.
/// </summary>
internal static class ParquetEnvelope
{
    static ReadOnlySpan<byte> Magic => "PAR1"u8;

    public static void Check(string source, Stream stream)
    {
        long length = stream.Length;
        if (length < 12)
            throw new IclPruneException($"data file {source}: {length} bytes is too short for a Parquet file (at least 12: PAR1, footer length, PAR1).");
        Span<byte> head = stackalloc byte[4];
        Span<byte> tail = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(head);
        stream.Position = length - 8;
        stream.ReadExactly(tail);
        stream.Position = 0;
        if (!head.SequenceEqual(Magic) || !tail[4..].SequenceEqual(Magic))
            throw new IclPruneException($"data file {source}: not a Parquet file (it must start and end with the bytes PAR1).");
        int footer = BinaryPrimitives.ReadInt32LittleEndian(tail);
        if (footer <= 0 || footer > length - 12)
            throw new IclPruneException($"data file {source}: Parquet footer length {footer} does not fit the {length}-byte file (corrupt or truncated).");
        var metadata = new byte[footer];
        stream.Position = length - 8 - footer;
        stream.ReadExactly(metadata);
        stream.Position = 0;
        if (!ThriftCompactCheck.IsWellFormedStruct(metadata, out string problem))
            throw new IclPruneException($"data file {source}: the Parquet footer is not valid Thrift metadata ({problem}); corrupt or not Parquet.");
    }
}

/// <summary>A read-only view of a seekable stream whose reads past the end throw instead of returning 0 bytes.</summary>
internal sealed class EndCheckedStream(Stream inner, string source) : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => inner.Length;

    public override long Position
    {
        get => inner.Position;
        set => inner.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        if (read == 0 && buffer.Length > 0)
            throw new EndOfStreamException($"{source}: the Parquet metadata points past the end of the file.");
        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
    public override void Flush() { }
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
