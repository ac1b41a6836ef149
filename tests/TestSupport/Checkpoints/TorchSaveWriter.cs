using System.Buffers.Binary;
using System.Text;
using IclPrune.Checkpoints;
using static TorchSharp.torch;

namespace IclPrune.TestSupport.Checkpoints;

/// <summary>A storage to save: its class and raw little-endian bytes. Identity (not value) decides sharing.</summary>
public sealed class TorchSaveStorage(TorchStorageType type, byte[] bytes)
{
    public TorchStorageType Type { get; } = type;
    public byte[] Bytes { get; } = bytes;
    public long ElementCount => Bytes.Length / Type.ElementSize;
}

/// <summary>One state-dict entry: a view (offset, size, stride in elements) of a storage.</summary>
public sealed record TorchSaveTensor(string Name, TorchSaveStorage Storage, long Offset, long[] Size, long[] Stride);

/// <summary>
/// Test-only writer of torch.save's zip format, so the loader can be tested on .bin copies of the tiny checkpoints
/// of every family built at test time. It emits the pickle opcodes CPython's pickle.Pickler (protocol 2) emits for
/// torch._save's state dict and the archive make_torch_zip.py writes; TorchSaveWriterTests checks it reproduces
/// the committed file made by that script byte for byte, so it is not a second guess at the format.
/// </summary>
public static class TorchSaveWriter
{
    public static TorchSaveTensor FromTensor(string name, Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        var type = TorchStorageTypeOf(cpu.dtype);
        var storage = new TorchSaveStorage(type, cpu.bytes.ToArray());
        long[] size = cpu.shape;
        var stride = new long[size.Length];
        long acc = 1;
        for (int i = size.Length - 1; i >= 0; i--)
        {
            stride[i] = acc;
            acc *= size[i];
        }
        return new TorchSaveTensor(name, storage, 0, size, stride);
    }

    static TorchStorageType TorchStorageTypeOf(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => TorchStorageType.Find("FloatStorage")!,
        ScalarType.Float16 => TorchStorageType.Find("HalfStorage")!,
        ScalarType.BFloat16 => TorchStorageType.Find("BFloat16Storage")!,
        ScalarType.Float64 => TorchStorageType.Find("DoubleStorage")!,
        ScalarType.Int64 => TorchStorageType.Find("LongStorage")!,
        ScalarType.Int32 => TorchStorageType.Find("IntStorage")!,
        ScalarType.Byte => TorchStorageType.Find("ByteStorage")!,
        ScalarType.Bool => TorchStorageType.Find("BoolStorage")!,
        _ => throw new ArgumentException($"no storage class for {dtype}"),
    };

    /// <summary>Writes <paramref name="tensors"/> as torch.save(state_dict, path) would; <paramref name="metadataModules"/>
    /// become state_dict._metadata ({module: {'version': 1}}), as nn.Module.state_dict() attaches.</summary>
    public static void Save(string path, IReadOnlyList<TorchSaveTensor> tensors, IReadOnlyList<string>? metadataModules = null)
    {
        var pickler = new Pickler();
        var keys = new Dictionary<TorchSaveStorage, string>(ReferenceEqualityComparer.Instance);
        pickler.Dict(ordered: true, tensors.Select(t => ((Action)(() => pickler.Str(t.Name)), (Action)(() => pickler.Tensor(t, keys)))).ToList(),
            metadataModules is null ? null : () => pickler.Dict(ordered: false,
            [(() => pickler.Str("_metadata"), () => pickler.Dict(ordered: true, metadataModules.Select(m =>
                ((Action)(() => pickler.Str(m)), (Action)(() => pickler.Dict(ordered: false, [(() => pickler.Str("version"), () => pickler.Int(1))], null)))).ToList(), null))], null));
        var records = new List<(string, byte[])> { ("data.pkl", pickler.Finish()), ("byteorder", "little"u8.ToArray()) };
        records.AddRange(keys.OrderBy(k => k.Value, StringComparer.Ordinal).Select(k => ($"data/{k.Value}", k.Key.Bytes)));
        records.Add(("version", "3\n"u8.ToArray()));
        records.Add((".data/version", "3\n"u8.ToArray()));
        File.WriteAllBytes(path, Zip(Path.GetFileNameWithoutExtension(path), records));
    }

    /// <summary>The subset of CPython's protocol-2 Pickler a state dict needs, with its memo rules: strings and
    /// globals memoized (repeats become BINGET), tuples and REDUCE results memoized but never shared, the empty
    /// tuple and numbers never memoized, dict items in batches of 1000.</summary>
    sealed class Pickler
    {
        readonly List<byte> _out = [0x80, 2];
        readonly Dictionary<string, int> _memo = new(StringComparer.Ordinal);
        int _next;

        public byte[] Finish()
        {
            _out.Add((byte)'.');
            return _out.ToArray();
        }

        void Put()
        {
            int n = _next++;
            if (n < 256) _out.AddRange([(byte)'q', (byte)n]);
            else { _out.Add((byte)'r'); _out.AddRange(BitConverter.GetBytes(n)); }
        }

        bool Get(string key)
        {
            if (!_memo.TryGetValue(key, out int n)) return false;
            if (n < 256) _out.AddRange([(byte)'h', (byte)n]);
            else { _out.Add((byte)'j'); _out.AddRange(BitConverter.GetBytes(n)); }
            return true;
        }

        void Remember(string key)
        {
            _memo[key] = _next;
            Put();
        }

        public void Str(string s)
        {
            if (Get("s:" + s)) return;
            var utf8 = Encoding.UTF8.GetBytes(s);
            _out.Add((byte)'X');
            _out.AddRange(BitConverter.GetBytes(utf8.Length));
            _out.AddRange(utf8);
            Remember("s:" + s);
        }

        void Global(string module, string name)
        {
            if (Get($"g:{module}.{name}")) return;
            _out.AddRange(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));
            Remember($"g:{module}.{name}");
        }

        public void Int(long v)
        {
            if (v is >= 0 and < 256) _out.AddRange([(byte)'K', (byte)v]);
            else if (v is >= 0 and < 65536) { _out.Add((byte)'M'); _out.AddRange(BitConverter.GetBytes((ushort)v)); }
            else if (v is >= int.MinValue and <= int.MaxValue) { _out.Add((byte)'J'); _out.AddRange(BitConverter.GetBytes((int)v)); }
            else
            {
                // LONG1: shortest two's complement little-endian
                var bytes = BitConverter.GetBytes(v).ToList();
                while (bytes.Count > 1 && ((bytes[^1] == 0 && bytes[^2] < 0x80) || (bytes[^1] == 0xff && bytes[^2] >= 0x80)))
                    bytes.RemoveAt(bytes.Count - 1);
                _out.AddRange([0x8a, (byte)bytes.Count]);
                _out.AddRange(bytes);
            }
        }

        void Tuple(IReadOnlyList<Action> items)
        {
            if (items.Count == 0) { _out.Add((byte)')'); return; }
            if (items.Count > 3) _out.Add((byte)'(');
            foreach (var item in items) item();
            _out.Add(items.Count switch { 1 => 0x85, 2 => 0x86, 3 => 0x87, _ => (byte)'t' });
            Put();
        }

        /// <summary>A dict (EMPTY_DICT) or OrderedDict (GLOBAL, (), REDUCE), its items, then BUILD with its state.</summary>
        public void Dict(bool ordered, IReadOnlyList<(Action Key, Action Value)> items, Action? state)
        {
            if (ordered)
            {
                Global("collections", "OrderedDict");
                _out.AddRange([(byte)')', (byte)'R']);
            }
            else
                _out.Add((byte)'}');
            Put();
            for (int start = 0; start < items.Count; start += 1000)
            {
                var batch = items.Skip(start).Take(1000).ToList();
                if (batch.Count > 1) _out.Add((byte)'(');
                foreach (var (k, v) in batch) { k(); v(); }
                _out.Add(batch.Count > 1 ? (byte)'u' : (byte)'s');
            }
            if (state is not null)
            {
                state();
                _out.Add((byte)'b');
            }
        }

        /// <summary>torch._utils._rebuild_tensor_v2((storage pid), offset, size, stride, False, OrderedDict()).</summary>
        public void Tensor(TorchSaveTensor t, Dictionary<TorchSaveStorage, string> keys)
        {
            Global("torch._utils", "_rebuild_tensor_v2");
            Tuple([
                () =>
                {
                    if (!keys.TryGetValue(t.Storage, out var key))
                        keys[t.Storage] = key = keys.Count.ToString();
                    Tuple([() => Str("storage"), () => Global("torch", t.Storage.Type.ClassName), () => Str(key), () => Str("cpu"),
                        () => Int(t.Storage.ElementCount)]);
                    _out.Add((byte)'Q');
                },
                () => Int(t.Offset),
                () => Tuple(t.Size.Select(d => (Action)(() => Int(d))).ToList()),
                () => Tuple(t.Stride.Select(d => (Action)(() => Int(d))).ToList()),
                () => _out.Add(0x89),
                () => Dict(ordered: true, [], null),
            ]);
            _out.Add((byte)'R');
            Put();
        }
    }

    /// <summary>The archive as make_torch_zip.py writes it: stored entries under the file stem, data 64-byte aligned.</summary>
    static byte[] Zip(string stem, List<(string Name, byte[] Bytes)> records)
    {
        var output = new List<byte>();
        var central = new List<byte>();
        foreach (var (name, data) in records)
        {
            var full = Encoding.ASCII.GetBytes($"{stem}/{name}");
            int offset = output.Count;
            int pad = (64 - (offset + 30 + full.Length + 4) % 64) % 64;
            uint crc = Crc32(data);
            void Header(List<byte> to, bool isCentral)
            {
                to.AddRange(BitConverter.GetBytes(isCentral ? 0x02014B50u : 0x04034B50u));
                if (isCentral) to.AddRange(BitConverter.GetBytes((ushort)20));
                to.AddRange(BitConverter.GetBytes((ushort)20));
                to.AddRange(new byte[6]); // flags, method (stored), time
                to.AddRange(BitConverter.GetBytes((ushort)0x21)); // date 1980-01-01
                to.AddRange(BitConverter.GetBytes(crc));
                to.AddRange(BitConverter.GetBytes(data.Length));
                to.AddRange(BitConverter.GetBytes(data.Length));
                to.AddRange(BitConverter.GetBytes((ushort)full.Length));
                to.AddRange(BitConverter.GetBytes((ushort)(isCentral ? 0 : 4 + pad)));
                if (isCentral)
                {
                    to.AddRange(new byte[10]); // comment length, disk, internal (2) and external (4) attributes
                    to.AddRange(BitConverter.GetBytes(offset));
                }
                to.AddRange(full);
            }
            Header(output, isCentral: false);
            output.AddRange("FB"u8.ToArray());
            output.AddRange(BitConverter.GetBytes((ushort)pad));
            output.AddRange(Enumerable.Repeat((byte)'Z', pad));
            output.AddRange(data);
            Header(central, isCentral: true);
        }
        int centralOffset = output.Count;
        output.AddRange(central);
        var end = new byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054B50);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(8), (ushort)records.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end.AsSpan(10), (ushort)records.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(12), (uint)central.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end.AsSpan(16), (uint)centralOffset);
        output.AddRange(end);
        return output.ToArray();
    }

    static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }
}
