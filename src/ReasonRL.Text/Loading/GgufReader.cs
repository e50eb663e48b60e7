// GgufReader: reads the header of a GGUF v2/v3 file (magic, version, counts, metadata
// key/values, tensor infos), little- or big-endian. Layout (all integers in the file's byte
// order): "GGUF" | u32 version | u64 tensor count | u64 kv count | kv* | tensor info* | pad to
// alignment | data. String = u64 length + UTF-8 bytes; array = u32 element type + u64 count +
// elements. A big-endian file is recognised by its version field reading byte-swapped.
// Validation is strict (docs/conventions.md §15): every length is checked against the bytes left in the
// file before anything is allocated, and errors name the file, the key and the offset.
// Arrays of arrays nest at most MaxArrayDepth deep (each level is a recursive call; without a
// bound a file of nested array headers overflows the stack and kills the process).
// Version 1 (32-bit counts) is rejected. It is not a tensor loader.
// Reference: ggml `docs/gguf.md`; ../shared/data/README.md.
using System.Buffers.Binary;
using System.Text;

namespace ReasonRL.Text;

/// <summary>Reads GGUF headers.</summary>
public static class GgufReader
{
    private const uint Magic = 0x46554747; // "GGUF" read as little-endian uint32

    /// <summary>Deepest array-of-array nesting accepted (llama.cpp writes none deeper than 1).</summary>
    public const int MaxArrayDepth = 8;

    /// <summary>Reads the header of the GGUF file at <paramref name="path"/>.</summary>
    public static GgufFile Read(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Read(stream, Path.GetFileName(path));
    }

    /// <summary>Reads a GGUF header from a seekable stream positioned at the file start.</summary>
    public static GgufFile Read(Stream stream, string source)
    {
        var r = new Cursor(new BufferedStream(stream, 1 << 16), stream.Length, source);
        uint magic = r.U32Raw(littleEndian: true);
        if (magic != Magic)
        {
            throw new TokenizerFormatException(source, $"not a GGUF file: first 4 bytes are 0x{magic:X8} (little-endian), expected \"GGUF\" (0x{Magic:X8})");
        }
        uint rawVersion = r.U32Raw(littleEndian: true);
        if (rawVersion is >= 1 and <= 0xFFFF) r.LittleEndian = true;
        else if (BinaryPrimitives.ReverseEndianness(rawVersion) is >= 1 and <= 0xFFFF) r.LittleEndian = false;
        else throw new TokenizerFormatException(source, $"GGUF version field 0x{rawVersion:X8} is not a version number in either byte order");
        uint version = r.LittleEndian ? rawVersion : BinaryPrimitives.ReverseEndianness(rawVersion);
        if (version is not (2 or 3))
        {
            throw new TokenizerFormatException(source, $"GGUF version {version} is not supported; expected 2 or 3");
        }
        ulong tensorCount = r.U64();
        ulong kvCount = r.U64();
        // Each kv needs at least 8 (key length) + 4 (type) + 1 bytes; each tensor info at least 8+4+4+8.
        r.CheckCount(kvCount, 13, "key/value count");
        r.CheckCount(tensorCount, 24, "tensor count");
        var metadata = new List<KeyValuePair<string, GgufValue>>((int)kvCount);
        for (ulong i = 0; i < kvCount; i++)
        {
            string key = r.String($"key #{i}");
            var type = (GgufType)r.U32();
            metadata.Add(new(key, ReadValue(r, type, key, depth: 0)));
        }
        var tensors = new List<GgufTensorInfo>((int)tensorCount);
        for (ulong i = 0; i < tensorCount; i++)
        {
            string name = r.String($"tensor #{i} name");
            uint dims = r.U32();
            if (dims > 8) throw r.Error($"tensor \"{name}\" has {dims} dimensions; at most 8 are allowed");
            var sizes = new ulong[dims];
            for (int d = 0; d < dims; d++) sizes[d] = r.U64();
            tensors.Add(new GgufTensorInfo(name, sizes, r.U32(), r.U64()));
        }
        var file = new GgufFile(version, !r.LittleEndian, metadata, tensors, 0);
        long alignment;
        try
        {
            alignment = file.Alignment;
        }
        catch (InvalidOperationException e)
        {
            throw r.Error($"general.alignment: {e.Message}");
        }
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
        {
            throw r.Error($"general.alignment is {alignment}; expected a positive power of two");
        }
        long dataOffset = (r.Position + alignment - 1) / alignment * alignment;
        return new GgufFile(version, !r.LittleEndian, metadata, tensors, dataOffset);
    }

    private static GgufValue ReadValue(Cursor r, GgufType type, string key, int depth)
    {
        if (type != GgufType.Array) return new GgufValue(type, ReadScalar(r, type, key));
        if (depth >= MaxArrayDepth) throw r.Error($"\"{key}\" nests arrays more than {MaxArrayDepth} deep");
        var elementType = (GgufType)r.U32();
        ulong count = r.U64();
        r.CheckCount(count, ElementMinSize(elementType, key, r), $"array length of \"{key}\"");
        int n = (int)count;
        Array values = elementType switch
        {
            GgufType.UInt8 => Fill(new byte[n], _ => r.U8()),
            GgufType.Int8 => Fill(new sbyte[n], _ => (sbyte)r.U8()),
            GgufType.UInt16 => Fill(new ushort[n], _ => r.U16()),
            GgufType.Int16 => Fill(new short[n], _ => (short)r.U16()),
            GgufType.UInt32 => Fill(new uint[n], _ => r.U32()),
            GgufType.Int32 => Fill(new int[n], _ => (int)r.U32()),
            GgufType.Float32 => Fill(new float[n], _ => BitConverter.Int32BitsToSingle((int)r.U32())),
            GgufType.Bool => Fill(new bool[n], i => Bool(r, $"{key}[{i}]")),
            GgufType.String => Fill(new string[n], i => r.String($"{key}[{i}]")),
            GgufType.UInt64 => Fill(new ulong[n], _ => r.U64()),
            GgufType.Int64 => Fill(new long[n], _ => (long)r.U64()),
            GgufType.Float64 => Fill(new double[n], _ => BitConverter.Int64BitsToDouble((long)r.U64())),
            GgufType.Array => Fill(new object[n], i => ReadValue(r, GgufType.Array, $"{key}[{i}]", depth + 1)),
            _ => throw r.Error($"\"{key}\" has unknown array element type {(uint)elementType}; expected 0..12"),
        };
        return new GgufValue(GgufType.Array, values, elementType);
    }

    private static object ReadScalar(Cursor r, GgufType type, string key) => type switch
    {
        GgufType.UInt8 => r.U8(),
        GgufType.Int8 => (sbyte)r.U8(),
        GgufType.UInt16 => r.U16(),
        GgufType.Int16 => (short)r.U16(),
        GgufType.UInt32 => r.U32(),
        GgufType.Int32 => (int)r.U32(),
        GgufType.Float32 => BitConverter.Int32BitsToSingle((int)r.U32()),
        GgufType.Bool => Bool(r, key),
        GgufType.String => r.String(key),
        GgufType.UInt64 => r.U64(),
        GgufType.Int64 => (long)r.U64(),
        GgufType.Float64 => BitConverter.Int64BitsToDouble((long)r.U64()),
        _ => throw r.Error($"\"{key}\" has unknown value type {(uint)type}; expected 0..12"),
    };

    private static bool Bool(Cursor r, string key)
    {
        byte b = r.U8();
        return b switch { 0 => false, 1 => true, _ => throw r.Error($"\"{key}\" is a bool with byte {b}; expected 0 or 1") };
    }

    private static int ElementMinSize(GgufType type, string key, Cursor r) => type switch
    {
        GgufType.UInt8 or GgufType.Int8 or GgufType.Bool => 1,
        GgufType.UInt16 or GgufType.Int16 => 2,
        GgufType.UInt32 or GgufType.Int32 or GgufType.Float32 => 4,
        GgufType.UInt64 or GgufType.Int64 or GgufType.Float64 or GgufType.String => 8,
        GgufType.Array => 12,
        _ => throw r.Error($"\"{key}\" has unknown array element type {(uint)type}; expected 0..12"),
    };

    private static T[] Fill<T>(T[] array, Func<int, T> read)
    {
        for (int i = 0; i < array.Length; i++) array[i] = read(i);
        return array;
    }

    // Sequential reader with position tracking, byte order and bounds checks.
    private sealed class Cursor(Stream stream, long length, string source)
    {
        private readonly byte[] _scratch = new byte[8];

        public bool LittleEndian { get; set; } = true;

        public long Position { get; private set; }

        public byte U8() => Take(1)[0];

        public ushort U16() => (ushort)Unsigned(2, LittleEndian);

        public uint U32() => (uint)Unsigned(4, LittleEndian);

        public uint U32Raw(bool littleEndian) => (uint)Unsigned(4, littleEndian);

        public ulong U64() => Unsigned(8, LittleEndian);

        // An n-byte unsigned integer in the given byte order.
        private ulong Unsigned(int n, bool littleEndian)
        {
            ReadOnlySpan<byte> b = Take(n);
            ulong value = 0;
            for (int i = 0; i < n; i++) value |= (ulong)b[littleEndian ? i : n - 1 - i] << (8 * i);
            return value;
        }

        public string String(string what)
        {
            ulong n = U64();
            if (n > (ulong)(length - Position))
            {
                throw Error($"{what}: string length {n} exceeds the {length - Position} bytes left in the file");
            }
            var bytes = new byte[(int)n];
            stream.ReadExactly(bytes);
            Position += (long)n;
            try
            {
                return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
            }
            catch (DecoderFallbackException e)
            {
                throw Error($"{what}: string is not valid UTF-8 ({e.Message})");
            }
        }

        public void CheckCount(ulong count, int minBytesEach, string what)
        {
            if (count > int.MaxValue || count * (ulong)minBytesEach > (ulong)(length - Position))
            {
                throw Error($"{what} {count} cannot fit in the {length - Position} bytes left in the file");
            }
        }

        public TokenizerFormatException Error(string detail) => new(source, $"at byte offset {Position}: {detail}");

        private ReadOnlySpan<byte> Take(int n)
        {
            if (Position + n > length) throw Error($"unexpected end of file reading {n} bytes (file has {length} bytes)");
            stream.ReadExactly(_scratch, 0, n);
            Position += n;
            return _scratch.AsSpan(0, n);
        }
    }
}
