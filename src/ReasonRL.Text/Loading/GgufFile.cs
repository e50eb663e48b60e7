// GgufFile: what a GGUF v2/v3 file's header holds — metadata key/values and tensor infos —
// as read by GgufReader. Values are typed (GgufValue) and arrays are typed .NET arrays.
// It is not a tensor loader: tensor data is never read, only its offset is reported.
// Reference: ggml `docs/gguf.md` (GGUF v3), ../shared/data/README.md "GGUF v3 layout".
namespace ReasonRL.Text;

/// <summary>GGUF metadata value type codes (uint32 in the file).</summary>
public enum GgufType : uint
{
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6,
    Bool = 7, String = 8, Array = 9, UInt64 = 10, Int64 = 11, Float64 = 12,
}

/// <summary>One metadata value. Scalars are boxed .NET values (byte, sbyte, ushort, short, uint,
/// int, float, bool, string, ulong, long, double); arrays are .NET arrays of those (nested
/// arrays: object[] of GgufValue) with <see cref="ElementType"/> set.</summary>
public sealed record GgufValue(GgufType Type, object Value, GgufType? ElementType = null)
{
    /// <summary>The value as a string (type must be String).</summary>
    public string AsString() => Value as string ?? throw Mismatch("string");

    /// <summary>Any integer scalar widened to long.</summary>
    public long AsInt64() => Value switch
    {
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        ulong v when v <= long.MaxValue => (long)v,
        long v => v,
        bool v => v ? 1 : 0,
        _ => throw Mismatch("integer"),
    };

    /// <summary>A string array.</summary>
    public string[] AsStringArray() => Value as string[] ?? throw Mismatch("array<string>");

    /// <summary>An integer array widened to int (int32 or smaller element types).</summary>
    public int[] AsInt32Array() => Value switch
    {
        int[] v => v,
        uint[] v => v.Select(x => checked((int)x)).ToArray(),
        short[] v => v.Select(x => (int)x).ToArray(),
        ushort[] v => v.Select(x => (int)x).ToArray(),
        sbyte[] v => v.Select(x => (int)x).ToArray(),
        byte[] v => v.Select(x => (int)x).ToArray(),
        _ => throw Mismatch("array<int32>"),
    };

    /// <summary>Number of elements of an array value.</summary>
    public int Length => Value is Array a ? a.Length : throw Mismatch("array");

    private InvalidOperationException Mismatch(string expected) =>
        new($"GGUF value is {Type}{(ElementType is null ? "" : $"<{ElementType}>")}, expected {expected}");
}

/// <summary>A tensor's header entry.</summary>
/// <param name="Name">Tensor name.</param>
/// <param name="Dimensions">Sizes (ggml order, fastest first).</param>
/// <param name="GgmlType">ggml element type code.</param>
/// <param name="Offset">Byte offset into the data section.</param>
public sealed record GgufTensorInfo(string Name, ulong[] Dimensions, uint GgmlType, ulong Offset);

/// <summary>The header of a GGUF file.</summary>
public sealed class GgufFile
{
    internal GgufFile(uint version, bool bigEndian, IReadOnlyList<KeyValuePair<string, GgufValue>> metadata,
        IReadOnlyList<GgufTensorInfo> tensors, long dataOffset)
    {
        Version = version;
        BigEndian = bigEndian;
        MetadataInOrder = metadata;
        Metadata = metadata.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        Tensors = tensors;
        DataOffset = dataOffset;
    }

    /// <summary>Format version (2 or 3).</summary>
    public uint Version { get; }

    /// <summary>True for a big-endian file.</summary>
    public bool BigEndian { get; }

    /// <summary>Metadata by key.</summary>
    public IReadOnlyDictionary<string, GgufValue> Metadata { get; }

    /// <summary>Metadata in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, GgufValue>> MetadataInOrder { get; }

    /// <summary>Tensor infos in file order (empty for vocab-only files).</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>File offset of the (aligned) tensor data section.</summary>
    public long DataOffset { get; }

    /// <summary>Alignment of the data section (`general.alignment`, default 32).</summary>
    public long Alignment => Metadata.TryGetValue("general.alignment", out GgufValue? a) ? a.AsInt64() : 32;

    /// <summary>The value of a key, or null.</summary>
    public GgufValue? Get(string key) => Metadata.TryGetValue(key, out GgufValue? v) ? v : null;
}
