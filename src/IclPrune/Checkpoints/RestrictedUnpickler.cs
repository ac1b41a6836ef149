using System.Buffers.Binary;
using System.Text;

namespace IclPrune.Checkpoints;

/// <summary>
/// A pickle reader written for PyTorch state dicts, because pickle is code: a general unpickler (Python's, or a port
/// of it) imports any global the file names and calls it, so loading a .bin from the internet can run anything.
/// No .NET package served here does a safe, restricted unpickle, hence this one. It implements only the opcodes
/// torch.save's data.pkl uses (protocol 2, and 4/5 framing for pickle_protocol=4), accepts only the globals of
/// <see cref="PickleAllowList"/>, and never executes anything: REDUCE on an allowed callable builds one of the
/// inert values of PickleValues.cs (<see cref="TorchRebuild"/>). Any other opcode or global is refused with an
/// error naming it and its offset. Reference: Python's Lib/pickle.py and Lib/pickletools.py (opcode table).
/// </summary>
public sealed class RestrictedUnpickler
{
    /// <summary>data.pkl above this is refused before reading: a state dict's pickle is kilobytes (GPT-J-6B's
    /// is ~30 KB); a corrupt length must not make us allocate gigabytes.</summary>
    public const long MaxPickleBytes = 256L << 20;

    /// <summary>
    /// Values (pushes and container entries together) above this are refused. Each costs managed memory (an empty
    /// dict ~150 bytes), so a 16 MB pickle of EMPTY_DICT opcodes would otherwise take gigabytes before anything is
    /// refused; the bound keeps the worst case near 100 MB. A state dict needs about 20 values per tensor: Llama-2-70B's
    /// 723 tensors take ~15,000, so this leaves a wide margin.
    /// </summary>
    public const int MaxValues = 500_000;

    /// <summary>Memo entries above this are refused (a state dict memoizes a few per tensor).</summary>
    public const int MaxMemoEntries = 100_000;

    readonly string _source;
    int _values;
    readonly byte[] _data;
    int _pos;
    int _opcodeAt;
    readonly List<object?> _stack = new();
    readonly List<int> _marks = new();
    readonly Dictionary<long, object?> _memo = new();

    RestrictedUnpickler(string source, byte[] data)
    {
        _source = source;
        _data = data;
    }

    /// <summary>Unpickles <paramref name="data"/>; <paramref name="source"/> (file and entry) names it in errors.</summary>
    public static object? Load(string source, byte[] data) => new RestrictedUnpickler(source, data).Run();

    object? Run()
    {
        while (true)
        {
            _opcodeAt = _pos;
            byte op = ReadByte();
            switch (op)
            {
                case 0x80: // PROTO
                    byte protocol = ReadByte();
                    if (protocol > 5) throw Fail($"pickle protocol {protocol} is not supported (0-5 are)");
                    break;
                case 0x95: // FRAME: an 8-byte length that only helps buffering; the data follows inline.
                    ulong frame = BinaryPrimitives.ReadUInt64LittleEndian(ReadSpan(8));
                    if (frame > (ulong)(_data.Length - _pos)) throw Fail($"FRAME of {frame} bytes runs past the end");
                    break;
                case (byte)'.': // STOP
                    var result = Pop();
                    if (_stack.Count != 0 || _marks.Count != 0) throw Fail("STOP with values left on the stack");
                    return result;
                case (byte)'(': Spend(1); _marks.Add(_stack.Count); break; // MARK
                case (byte)'}': Push(new PickleDict()); break; // EMPTY_DICT
                case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)')': Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case (byte)'N': Push(null); break; // NONE
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case (byte)'K': Push((long)ReadByte()); break; // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadSpan(2))); break; // BININT2
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(ReadSpan(4))); break; // BININT
                case 0x8a: Push(ReadLong1()); break; // LONG1
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(ReadSpan(8))); break; // BINFLOAT
                case (byte)'X': Push(ReadString(BinaryPrimitives.ReadUInt32LittleEndian(ReadSpan(4)))); break; // BINUNICODE
                case 0x8c: Push(ReadString(ReadByte())); break; // SHORT_BINUNICODE
                case 0x8d: Push(ReadString(BinaryPrimitives.ReadUInt64LittleEndian(ReadSpan(8)))); break; // BINUNICODE8
                case (byte)'t': Push(PopMark().ToArray()); break; // TUPLE
                case 0x85: Push(new[] { Pop() }); break; // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'c': Push(Global(ReadLine(), ReadLine())); break; // GLOBAL
                case 0x93: // STACK_GLOBAL
                {
                    var name = Pop();
                    var module = Pop();
                    if (module is not string m || name is not string n)
                        throw Fail("STACK_GLOBAL needs two strings (module, name)");
                    Push(Global(m, n));
                    break;
                }
                case (byte)'R': Reduce(); break; // REDUCE
                case (byte)'Q': Push(TorchRebuild.PersistentLoad(_source, Pop(), _opcodeAt)); break; // BINPERSID
                case (byte)'q': Memoize(ReadByte()); break; // BINPUT
                case (byte)'r': Memoize(BinaryPrimitives.ReadUInt32LittleEndian(ReadSpan(4))); break; // LONG_BINPUT
                case 0x94: Memoize(_memo.Count); break; // MEMOIZE
                case (byte)'h': Push(Recall(ReadByte())); break; // BINGET
                case (byte)'j': Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(ReadSpan(4)))); break; // LONG_BINGET
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItem(Peek(), k, v); break; } // SETITEM
                case (byte)'u': // SETITEMS
                {
                    var items = PopMark();
                    if (items.Count % 2 != 0) throw Fail("SETITEMS with an odd number of items");
                    var dict = Peek();
                    for (int i = 0; i < items.Count; i += 2)
                        SetItem(dict, items[i], items[i + 1]);
                    break;
                }
                case (byte)'a': { var v = Pop(); Spend(1); ListOnTop().Add(v); break; } // APPEND
                case (byte)'e': { var items = PopMark(); Spend(items.Count); ListOnTop().AddRange(items); break; } // APPENDS
                case (byte)'b': Build(); break; // BUILD
                default:
                    throw Fail($"opcode {OpcodeName(op)} is not one a state dict uses; refusing to unpickle " +
                               "(pickle can run code, so only the opcodes torch.save writes are accepted)");
            }
        }
    }

    PickleGlobal Global(string module, string name)
    {
        var global = new PickleGlobal(module, name);
        if (!PickleAllowList.IsAllowed(global))
            throw Fail($"global '{global}' is not allowed in a state dict; refusing to unpickle (pickle can run code, " +
                       $"and nothing was run). Allowed: {PickleAllowList.Describe()}");
        return global;
    }

    void Reduce()
    {
        var args = Pop();
        var callable = Pop();
        if (callable is not PickleGlobal global || !PickleAllowList.IsCallable(global))
            throw Fail($"REDUCE on {Describe(callable)}, which is not an allowed callable; refusing to unpickle");
        if (args is not object?[] tuple)
            throw Fail($"REDUCE on '{global}' with {Describe(args)} instead of an argument tuple");
        Push(TorchRebuild.Call(_source, global, tuple, _opcodeAt));
    }

    void Build()
    {
        var state = Pop();
        switch (Peek())
        {
            case PickleDict dict: dict.State = state; break; // OrderedDict attributes, e.g. state_dict._metadata
            case TorchTensorRef: break; // _rebuild_parameter_with_state / tensor python attributes: not weights
            case var other: throw Fail($"BUILD on {Describe(other)}; only OrderedDict and tensors are allowed");
        }
    }

    void SetItem(object? target, object? key, object? value)
    {
        if (target is not PickleDict dict)
            throw Fail($"SETITEM on {Describe(target)}, not a dict");
        if (key is not (string or long or bool or double))
            throw Fail($"dict key {Describe(key)}; only strings and numbers are accepted");
        Spend(1);
        dict.Set(key, value);
    }

    List<object?> ListOnTop() =>
        Peek() as List<object?> ?? throw Fail($"APPEND on {Describe(Peek())}, not a list");

    void Memoize(long index)
    {
        if (_memo.Count >= MaxMemoEntries && !_memo.ContainsKey(index))
            throw Fail($"more than {MaxMemoEntries} memo entries; a state dict needs a few per tensor");
        _memo[index] = Peek();
    }

    /// <summary>Counts <paramref name="count"/> new values against <see cref="MaxValues"/>.</summary>
    void Spend(int count)
    {
        _values += count;
        if (_values > MaxValues)
            throw Fail($"more than {MaxValues} values; a state dict needs about 20 per tensor, so this is not one " +
                       "(refused before it could exhaust memory)");
    }

    object? Recall(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw Fail($"memo index {index} was never stored");

    void Push(object? value)
    {
        Spend(1);
        _stack.Add(value);
    }

    object? Peek()
    {
        int floor = _marks.Count > 0 ? _marks[^1] : 0;
        if (_stack.Count <= floor) throw Fail("stack underflow");
        return _stack[^1];
    }

    object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Fail("no MARK to pop to");
        int start = _marks[^1];
        _marks.RemoveAt(_marks.Count - 1);
        var items = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return items;
    }

    byte ReadByte()
    {
        if (_pos >= _data.Length) throw Fail("pickle ends before STOP (truncated data.pkl)");
        return _data[_pos++];
    }

    ReadOnlySpan<byte> ReadSpan(ulong length)
    {
        if (length > (ulong)(_data.Length - _pos)) throw Fail($"a {length}-byte field runs past the end of the pickle");
        var span = _data.AsSpan(_pos, (int)length);
        _pos += (int)length;
        return span;
    }

    string ReadString(ulong length)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(ReadSpan(length));
        }
        catch (DecoderFallbackException)
        {
            throw Fail("string is not valid UTF-8");
        }
    }

    /// <summary>The text argument of GLOBAL: printable ASCII up to a newline (a module or attribute name).</summary>
    string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _pos, Math.Min(256, _data.Length - _pos));
        if (end < 0) throw Fail("GLOBAL name without a newline within 256 bytes");
        string line = Encoding.ASCII.GetString(_data, _pos, end - _pos);
        if (line.Any(c => c < 0x20 || c > 0x7e)) throw Fail("GLOBAL name with non-printable characters");
        _pos = end + 1;
        return line;
    }

    long ReadLong1()
    {
        int n = ReadByte();
        if (n > 8) throw Fail($"LONG1 of {n} bytes; integers in a state dict fit in 8");
        var bytes = ReadSpan((ulong)n);
        if (n == 0) return 0;
        Span<byte> buffer = stackalloc byte[8];
        bytes.CopyTo(buffer);
        // Two's complement little-endian: sign-extend from the top byte.
        buffer[n..].Fill((bytes[n - 1] & 0x80) != 0 ? (byte)0xff : (byte)0);
        return BinaryPrimitives.ReadInt64LittleEndian(buffer);
    }

    static string OpcodeName(byte op)
    {
        string name = op switch
        {
            (byte)'i' => "INST", (byte)'o' => "OBJ", 0x81 => "NEWOBJ", 0x92 => "NEWOBJ_EX", (byte)'P' => "PERSID",
            0x82 => "EXT1", 0x83 => "EXT2", 0x84 => "EXT4", (byte)'I' => "INT", (byte)'L' => "LONG",
            (byte)'S' => "STRING", (byte)'V' => "UNICODE", (byte)'d' => "DICT", (byte)'l' => "LIST",
            (byte)'p' => "PUT", (byte)'g' => "GET", (byte)'0' => "POP", (byte)'1' => "POP_MARK", (byte)'2' => "DUP",
            0x96 => "BYTEARRAY8", 0x97 => "NEXT_BUFFER", 0x98 => "READONLY_BUFFER", (byte)'B' => "BINBYTES",
            (byte)'C' => "SHORT_BINBYTES", 0x8f => "EMPTY_SET", 0x90 => "ADDITEMS", 0x91 => "FROZENSET",
            _ => "unknown",
        };
        return op is >= 0x20 and < 0x7f ? $"{name} (0x{op:x2} '{(char)op}')" : $"{name} (0x{op:x2})";
    }

    internal static string Describe(object? value) => value switch
    {
        null => "None",
        string s => $"str '{(s.Length > 40 ? s[..40] + "..." : s)}'",
        long l => $"int {l}",
        PickleGlobal g => $"'{g}'",
        object?[] t => $"a tuple of {t.Length}",
        _ => $"a {value.GetType().Name}",
    };

    IclPruneException Fail(string what) =>
        new($"{_source}: unsafe or unsupported pickle at byte {_opcodeAt}: {what}.");
}
