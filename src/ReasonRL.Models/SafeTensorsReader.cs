// SafeTensorsReader: reads a .safetensors file: the 8-byte little-endian header length (capped),
// the validated JSON header (SafeTensorsHeader) and then each tensor's bytes, converted to F32
// (F32/F16/BF16) or Int64 (I32/I64). Data is streamed in chunks, so a tensor larger than 2 GiB
// on disk still loads as long as its element count fits one .NET array.
// What it is not: a memory-mapped or lazy loader (our checkpoints are small enough to copy), or
// a sharded-checkpoint loader (HfCheckpoint handles model.safetensors.index.json).
// Reference: https://github.com/huggingface/safetensors (README "Format"; MAX_HEADER_SIZE = 100 MB).
using System.Buffers.Binary;

namespace ReasonRL.Models;

/// <summary>Reads safetensors files strictly by the format's rules.</summary>
public static class SafeTensorsReader
{
    /// <summary>Largest accepted header, 100,000,000 bytes (the Rust crate's MAX_HEADER_SIZE).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    // Bytes read and converted per step when streaming tensor data.
    private const int ChunkBytes = 1 << 20;

    /// <summary>Reads and validates only the header of <paramref name="path"/>.</summary>
    /// <exception cref="SafeTensorsFormatException">the file breaks a format rule.</exception>
    public static SafeTensorsHeader ReadHeader(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        return ReadHeader(stream, path);
    }

    /// <summary>Reads every tensor of <paramref name="path"/>.</summary>
    /// <exception cref="SafeTensorsFormatException">the file breaks a format rule.</exception>
    public static SafeTensorsFile Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        var header = ReadHeader(stream, path);
        var tensors = new List<SafeTensorsTensor>(header.Entries.Count);
        // No larger than the data (at least one 8-byte element): a small file gets a small buffer.
        var chunk = new byte[(int)Math.Clamp(header.DataLength, 8, ChunkBytes)];
        foreach (var entry in header.Entries)
        {
            stream.Seek(header.DataStart + entry.Begin, SeekOrigin.Begin);
            tensors.Add(ReadTensor(stream, entry, chunk, path));
        }
        return new SafeTensorsFile(path, header.Metadata, tensors);
    }

    private static SafeTensorsHeader ReadHeader(FileStream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new SafeTensorsFormatException(SafeTensorsError.FileTooShort, path, null,
                $"file is {fileLength} bytes; expected at least 8 (the little-endian u64 header length)");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (n > MaxHeaderBytes)
            throw new SafeTensorsFormatException(SafeTensorsError.HeaderTooLarge, path, null,
                $"header length is {n} bytes; expected at most {MaxHeaderBytes}");
        if ((long)n > fileLength - 8)
            throw new SafeTensorsFormatException(SafeTensorsError.HeaderBeyondFile, path, null,
                $"header length is {n} bytes but only {fileLength - 8} bytes follow the length prefix");
        var headerBytes = new byte[(int)n];
        stream.ReadExactly(headerBytes);
        return SafeTensorsHeader.Parse(headerBytes, fileLength - 8 - (long)n, path);
    }

    private static SafeTensorsTensor ReadTensor(FileStream stream, SafeTensorsEntry entry, byte[] chunk, string path)
    {
        if (entry.ElementCount > Array.MaxLength)
            throw new SafeTensorsFormatException(SafeTensorsError.TooLarge, path, entry.Name,
                $"{entry.ElementCount} elements; a .NET array holds at most {Array.MaxLength}");
        int count = (int)entry.ElementCount;
        int size = SafeTensorsDTypes.SizeOf(entry.DType);
        int perChunk = chunk.Length / size;
        bool integer = SafeTensorsDTypes.IsInteger(entry.DType);
        float[]? floats = integer ? null : new float[count];
        long[]? longs = integer ? new long[count] : null;
        for (int start = 0; start < count; start += perChunk)
        {
            int n = Math.Min(perChunk, count - start);
            var bytes = chunk.AsSpan(0, n * size);
            try
            {
                stream.ReadExactly(bytes);
            }
            catch (EndOfStreamException ex)
            {
                throw new SafeTensorsFormatException(SafeTensorsError.BufferNotCovered, path, entry.Name, "file ended inside the tensor's data (changed while reading?)", ex);
            }
            if (integer) SafeTensorsDTypes.DecodeIntegers(bytes, entry.DType, longs.AsSpan(start, n));
            else SafeTensorsDTypes.DecodeFloats(bytes, entry.DType, floats.AsSpan(start, n));
        }
        return integer
            ? SafeTensorsTensor.FromIntegers(entry.Name, entry.Shape, longs!, entry.DType)
            : SafeTensorsTensor.FromFloats(entry.Name, entry.Shape, floats!, entry.DType);
    }
}
