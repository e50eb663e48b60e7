// SafeTensorsWriter: writes tensors to a .safetensors file: u64 little-endian header length, a
// compact UTF-8 JSON header ("__metadata__" first, then tensors in the given order with
// contiguous offsets), padded with spaces so the data buffer starts at a multiple of 8, then the
// little-endian data. The file is written through AtomicFile (temp, fsync, rename, folder fsync), so a
// crash never leaves a half-written checkpoint under the final name.
// What it is not: a sharding writer (HfCheckpoint splits a model over shards).
// Reference: https://github.com/huggingface/safetensors (README "Format").
using ReasonRL.Core;
using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ReasonRL.Models;

/// <summary>Writes safetensors files.</summary>
public static class SafeTensorsWriter
{
    private const int ChunkElements = 1 << 18;

    /// <summary>Writes <paramref name="tensors"/> (stored with each tensor's <see cref="SafeTensorsTensor.DType"/>)
    /// and <paramref name="metadata"/> to <paramref name="path"/>, replacing any existing file.</summary>
    public static void Write(string path, IReadOnlyList<SafeTensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        byte[] header = BuildHeader(tensors, metadata);
        AtomicFile.Write(path, stream =>
        {
            Span<byte> prefix = stackalloc byte[8];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
            stream.Write(prefix);
            stream.Write(header);
            var buffer = new byte[ChunkElements * 8];
            foreach (var t in tensors) WriteData(stream, t, buffer);
        });
    }

    /// <summary>The header bytes (JSON + space padding) for <paramref name="tensors"/>; 8 + length
    /// is a multiple of 8.</summary>
    public static byte[] BuildHeader(IReadOnlyList<SafeTensorsTensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var json = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(json, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            long offset = 0;
            foreach (var t in tensors)
            {
                if (t.Name == "__metadata__") throw new ArgumentException("a tensor cannot be called \"__metadata__\" (reserved by the format)");
                if (!names.Add(t.Name)) throw new ArgumentException($"tensor \"{t.Name}\" is given twice");
                long end = checked(offset + t.ByteLength);
                w.WriteStartObject(t.Name);
                w.WriteString("dtype", SafeTensorsDTypes.HeaderName(t.DType));
                w.WriteStartArray("shape");
                foreach (int d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(offset);
                w.WriteNumberValue(end);
                w.WriteEndArray();
                w.WriteEndObject();
                offset = end;
            }
            w.WriteEndObject();
        }
        int padded = (json.WrittenCount + 7) / 8 * 8; // 8 + padded is then a multiple of 8 too
        var header = new byte[padded];
        json.WrittenSpan.CopyTo(header);
        header.AsSpan(json.WrittenCount).Fill((byte)' ');
        return header;
    }

    private static void WriteData(Stream stream, SafeTensorsTensor t, byte[] buffer)
    {
        int size = SafeTensorsDTypes.SizeOf(t.DType);
        int count = checked((int)t.ElementCount);
        for (int start = 0; start < count; start += ChunkElements)
        {
            int n = Math.Min(ChunkElements, count - start);
            var bytes = buffer.AsSpan(0, n * size);
            if (t.IsInteger) SafeTensorsDTypes.EncodeIntegers(t.Integers.AsSpan(start, n), t.DType, bytes);
            else SafeTensorsDTypes.EncodeFloats(t.Floats.AsSpan(start, n), t.DType, bytes);
            stream.Write(bytes);
        }
    }
}
