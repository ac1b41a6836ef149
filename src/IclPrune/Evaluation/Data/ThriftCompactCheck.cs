namespace IclPrune.Evaluation.Data;

/// <summary>
/// Walks one Thrift compact-protocol struct (a Parquet footer) without building it, checking that every length, count
/// and nesting stays inside the bytes given and that the struct ends with its STOP byte. Parquet.Net's reader loops
/// forever on some malformed footers (a struct without STOP read past the end of its buffer), so a footer must pass
/// this first. Encoding: Apache Thrift, doc/specs/thrift-compact-protocol.md.
/// </summary>
internal static class ThriftCompactCheck
{
    const int MaxDepth = 64;

    public static bool IsWellFormedStruct(ReadOnlySpan<byte> data, out string problem)
    {
        int position = 0;
        try
        {
            SkipStruct(data, ref position, 0);
            problem = "";
            return true;
        }
        catch (FormatException e)
        {
            problem = $"{e.Message} at byte {position} of {data.Length}";
            return false;
        }
    }

    static void SkipStruct(ReadOnlySpan<byte> data, ref int position, int depth)
    {
        if (depth > MaxDepth) throw new FormatException($"structs nested deeper than {MaxDepth}");
        while (true)
        {
            byte header = Byte(data, ref position);
            if (header == 0) return;                       // STOP
            if (header >> 4 == 0) Varint(data, ref position); // long form: the field id follows as a zigzag varint
            SkipValue(data, ref position, header & 0x0F, depth, element: false);
        }
    }

    static void SkipValue(ReadOnlySpan<byte> data, ref int position, int type, int depth, bool element)
    {
        switch (type)
        {
            case 1 or 2:                                   // bool: in the field header, or one byte in a collection
                if (element) Byte(data, ref position);
                break;
            case 3: Byte(data, ref position); break;       // i8
            case 4 or 5 or 6: Varint(data, ref position); break; // i16, i32, i64 (zigzag varints)
            case 7: Skip(data, ref position, 8); break;    // double
            case 8: Skip(data, ref position, Varint(data, ref position)); break; // binary / string
            case 9 or 10:                                  // list, set: size (4 bits, or 15 + varint) and element type
            {
                byte header = Byte(data, ref position);
                ulong size = (ulong)(header >> 4);
                if (size == 15) size = Varint(data, ref position);
                CheckCount(data, position, size);
                for (ulong i = 0; i < size; i++) SkipValue(data, ref position, header & 0x0F, depth + 1, element: true);
                break;
            }
            case 11:                                       // map: varint size, then key and value types
            {
                ulong size = Varint(data, ref position);
                if (size == 0) break;
                byte types = Byte(data, ref position);
                CheckCount(data, position, size * 2);
                for (ulong i = 0; i < size; i++)
                {
                    SkipValue(data, ref position, types >> 4, depth + 1, element: true);
                    SkipValue(data, ref position, types & 0x0F, depth + 1, element: true);
                }
                break;
            }
            case 12: SkipStruct(data, ref position, depth + 1); break;
            default: throw new FormatException($"unknown Thrift type {type}");
        }
    }

    /// <summary>Every element takes at least one byte, so a count above the bytes left is a lie.</summary>
    static void CheckCount(ReadOnlySpan<byte> data, int position, ulong count)
    {
        if (count > (ulong)(data.Length - position)) throw new FormatException($"a collection of {count} elements in {data.Length - position} bytes");
    }

    static byte Byte(ReadOnlySpan<byte> data, ref int position) =>
        position < data.Length ? data[position++] : throw new FormatException("the struct ends without its STOP byte");

    static void Skip(ReadOnlySpan<byte> data, ref int position, ulong count)
    {
        if (count > (ulong)(data.Length - position)) throw new FormatException($"a {count}-byte value runs past the end");
        position += (int)count;
    }

    static ulong Varint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (int shift = 0; shift < 70; shift += 7)
        {
            byte b = Byte(data, ref position);
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0) return value;
        }
        throw new FormatException("a varint longer than 10 bytes");
    }
}
