// Minimal GGUF v3 writer used by the tests to build files with chosen content (either byte order).
using System.Buffers.Binary;
using System.Text;

namespace ReasonRL.Text.Tests;

/// <summary>Minimal GGUF writer for the tests (either byte order).</summary>
internal sealed class GgufWriter(bool bigEndian)
{
    private readonly MemoryStream _stream = new();

    public long Length => _stream.Length;

    public void Header(uint version, ulong tensors, ulong kvs)
    {
        _stream.Write("GGUF"u8);
        U32(version);
        U64(tensors);
        U64(kvs);
    }

    public void Kv(string key, uint type, Action value)
    {
        Str(key);
        U32(type);
        value();
    }

    public void U8(byte v) => _stream.WriteByte(v);

    public void U16(ushort v)
    {
        Span<byte> b = stackalloc byte[2];
        if (bigEndian) BinaryPrimitives.WriteUInt16BigEndian(b, v); else BinaryPrimitives.WriteUInt16LittleEndian(b, v);
        _stream.Write(b);
    }

    public void U32(uint v)
    {
        Span<byte> b = stackalloc byte[4];
        if (bigEndian) BinaryPrimitives.WriteUInt32BigEndian(b, v); else BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        _stream.Write(b);
    }

    public void U64(ulong v)
    {
        Span<byte> b = stackalloc byte[8];
        if (bigEndian) BinaryPrimitives.WriteUInt64BigEndian(b, v); else BinaryPrimitives.WriteUInt64LittleEndian(b, v);
        _stream.Write(b);
    }

    public void Str(string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        U64((ulong)bytes.Length);
        _stream.Write(bytes);
    }

    public byte[] ToArray() => _stream.ToArray();
}
