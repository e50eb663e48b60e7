// SafeTensorsHeader: parses and validates the JSON header of a .safetensors file by the format's
// own rules (https://github.com/huggingface/safetensors, README "Format" and the checks of the
// Rust crate's `Metadata::validate`):
//   * header = UTF-8 JSON object starting with '{', optionally padded at the end with spaces;
//   * every key once; "__metadata__" (optional) is an object of string → string;
//   * every other key is a tensor {"dtype": known string, "shape": [non-negative ints],
//     "data_offsets": [begin, end]} with no other fields;
//   * offsets are relative to the data buffer; sorted by begin they are contiguous (no gap, no
//     overlap), start at 0 and end exactly at the buffer's length;
//   * shape product × dtype size == end − begin (checked arithmetic, long offsets).
// What it is not: the reader of tensor bytes (SafeTensorsReader) or the writer.
// Parsing uses Utf8JsonReader (no reflection serialisation, docs/conventions.md §11/§15).
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace ReasonRL.Models;

/// <summary>One tensor's header entry. Offsets are relative to the start of the data buffer.</summary>
public sealed record SafeTensorsEntry(string Name, SafeTensorsDType DType, int[] Shape, long Begin, long End)
{
    /// <summary>end − begin.</summary>
    public long ByteLength => End - Begin;

    /// <summary>Product of <see cref="Shape"/> (1 for a scalar).</summary>
    public long ElementCount => ByteLength / SafeTensorsDTypes.SizeOf(DType);
}

/// <summary>A validated safetensors header: metadata and tensor entries in offset order.</summary>
public sealed class SafeTensorsHeader
{
    private SafeTensorsHeader(string filePath, long headerLength, long dataLength,
        IReadOnlyDictionary<string, string> metadata, IReadOnlyList<SafeTensorsEntry> entries)
    {
        FilePath = filePath;
        HeaderLength = headerLength;
        DataLength = dataLength;
        Metadata = metadata;
        Entries = entries;
    }

    /// <summary>File the header came from (used in every error message).</summary>
    public string FilePath { get; }

    /// <summary>N: the JSON header's byte length (the file's first 8 bytes, little-endian).</summary>
    public long HeaderLength { get; }

    /// <summary>File offset of the data buffer: 8 + N.</summary>
    public long DataStart => 8 + HeaderLength;

    /// <summary>Byte length of the data buffer: file length − 8 − N.</summary>
    public long DataLength { get; }

    /// <summary>The "__metadata__" string map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Tensor entries sorted by their offsets.</summary>
    public IReadOnlyList<SafeTensorsEntry> Entries { get; }

    /// <summary>Parses and validates <paramref name="header"/> (the N bytes after the length
    /// prefix) against a data buffer of <paramref name="dataLength"/> bytes.</summary>
    /// <exception cref="SafeTensorsFormatException">the header breaks a format rule.</exception>
    public static SafeTensorsHeader Parse(ReadOnlySpan<byte> header, long dataLength, string filePath)
    {
        SafeTensorsFormatException Error(SafeTensorsError e, string problem) => new(e, filePath, null, problem);

        if (header.Length == 0 || header[0] != (byte)'{')
            throw Error(SafeTensorsError.HeaderStart, $"header must start with '{{', got {(header.Length == 0 ? "an empty header" : $"byte 0x{header[0]:X2}")}");
        ValidateUtf8(header, filePath);

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var entries = new List<SafeTensorsEntry>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reader = new Utf8JsonReader(header, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 8 });
        try
        {
            reader.Read(); // StartObject (first byte checked above)
            while (true)
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.EndObject) break;
                string key = reader.GetString()!;
                if (!seen.Add(key)) throw Error(SafeTensorsError.DuplicateKey, $"key \"{key}\" appears more than once in the header");
                reader.Read();
                if (key == "__metadata__") ReadMetadata(ref reader, metadata, filePath);
                else entries.Add(ReadEntry(ref reader, key, filePath));
            }
        }
        catch (JsonException ex)
        {
            throw new SafeTensorsFormatException(SafeTensorsError.InvalidJson, filePath, null,
                $"header is not valid JSON (byte {ex.BytePositionInLine} of line {ex.LineNumber + 1}): {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader.GetString on a string whose escapes decode to invalid UTF-16.
            throw new SafeTensorsFormatException(SafeTensorsError.InvalidJson, filePath, null, $"header holds an invalid JSON string: {ex.Message}", ex);
        }
        for (long i = reader.BytesConsumed; i < header.Length; i++)
        {
            if (header[(int)i] != (byte)' ')
                throw Error(SafeTensorsError.InvalidJson, $"header byte {i} after the JSON object is 0x{header[(int)i]:X2}; only spaces (0x20) may pad the header");
        }

        ValidateOffsets(entries, dataLength, filePath);
        return new SafeTensorsHeader(filePath, header.Length, dataLength, metadata, entries);
    }

    private static void ValidateUtf8(ReadOnlySpan<byte> header, string filePath)
    {
        if (Utf8.IsValid(header)) return;
        // Slow path only for a bad file: find the first invalid sequence to name its offset.
        int at = 0;
        while (at < header.Length && Rune.DecodeFromUtf8(header[at..], out _, out int consumed) == System.Buffers.OperationStatus.Done) at += consumed;
        throw new SafeTensorsFormatException(SafeTensorsError.InvalidUtf8, filePath, null,
            $"header is not valid UTF-8 (invalid sequence at header byte {at})");
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata, string filePath)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new SafeTensorsFormatException(SafeTensorsError.InvalidMetadata, filePath, null,
                $"\"__metadata__\" must be an object of string values, got {Describe(reader.TokenType)}");
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndObject) return;
            string key = reader.GetString()!;
            reader.Read();
            if (reader.TokenType != JsonTokenType.String)
                throw new SafeTensorsFormatException(SafeTensorsError.InvalidMetadata, filePath, null,
                    $"\"__metadata__\".\"{key}\" must be a string, got {Describe(reader.TokenType)}");
            if (!metadata.TryAdd(key, reader.GetString()!))
                throw new SafeTensorsFormatException(SafeTensorsError.DuplicateKey, filePath, null, $"\"__metadata__\" key \"{key}\" appears more than once");
        }
    }

    private static SafeTensorsEntry ReadEntry(ref Utf8JsonReader reader, string name, string filePath)
    {
        SafeTensorsFormatException Bad(string problem) => new(SafeTensorsError.InvalidEntry, filePath, name, problem);
        if (reader.TokenType != JsonTokenType.StartObject)
            throw Bad($"entry must be an object {{\"dtype\", \"shape\", \"data_offsets\"}}, got {Describe(reader.TokenType)}");
        string? dtypeName = null;
        List<long>? shape = null, offsets = null;
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndObject) break;
            string field = reader.GetString()!;
            reader.Read();
            switch (field)
            {
                case "dtype" when dtypeName is null:
                    if (reader.TokenType != JsonTokenType.String) throw Bad($"\"dtype\" must be a string, got {Describe(reader.TokenType)}");
                    dtypeName = reader.GetString()!;
                    break;
                case "shape" when shape is null:
                    shape = ReadNonNegativeInts(ref reader, "shape", Bad);
                    break;
                case "data_offsets" when offsets is null:
                    offsets = ReadNonNegativeInts(ref reader, "data_offsets", Bad);
                    break;
                case "dtype" or "shape" or "data_offsets":
                    throw new SafeTensorsFormatException(SafeTensorsError.DuplicateKey, filePath, name, $"field \"{field}\" appears more than once");
                default:
                    throw Bad($"unexpected field \"{field}\"; expected only \"dtype\", \"shape\", \"data_offsets\"");
            }
        }
        if (dtypeName is null) throw Bad("missing \"dtype\"");
        if (shape is null) throw Bad("missing \"shape\"");
        if (offsets is null) throw Bad("missing \"data_offsets\"");
        if (offsets.Count != 2) throw Bad($"\"data_offsets\" must be [begin, end], got {offsets.Count} numbers");
        if (!SafeTensorsDTypes.TryParse(dtypeName, out var dtype))
        {
            bool known = Array.IndexOf(SafeTensorsDTypes.KnownUnsupported, dtypeName) >= 0;
            throw new SafeTensorsFormatException(known ? SafeTensorsError.UnsupportedDType : SafeTensorsError.UnknownDType, filePath, name,
                known ? $"dtype \"{dtypeName}\" is not supported by ReasonRL; expected one of {SafeTensorsDTypes.SupportedList}"
                      : $"unknown dtype \"{dtypeName}\"; expected one of {SafeTensorsDTypes.SupportedList}");
        }
        var dims = new int[shape.Count];
        long count = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (shape[i] > int.MaxValue)
                throw new SafeTensorsFormatException(SafeTensorsError.TooLarge, filePath, name, $"dimension {i} is {shape[i]}; expected at most {int.MaxValue}");
            dims[i] = (int)shape[i];
            count = MultiplyOrTooLarge(count, shape[i], filePath, name);
        }
        long bytes = MultiplyOrTooLarge(count, SafeTensorsDTypes.SizeOf(dtype), filePath, name);
        long begin = offsets[0], end = offsets[1];
        if (end < begin)
            throw new SafeTensorsFormatException(SafeTensorsError.InvalidOffsets, filePath, name, $"data_offsets [{begin}, {end}] end before they begin");
        if (end - begin != bytes)
            throw new SafeTensorsFormatException(SafeTensorsError.ByteLengthMismatch, filePath, name,
                $"shape {SafeTensorsTensor.FormatShape(dims)} × {dtypeName} ({SafeTensorsDTypes.SizeOf(dtype)} bytes) = {bytes} bytes, but data_offsets [{begin}, {end}] span {end - begin} bytes");
        return new SafeTensorsEntry(name, dtype, dims, begin, end);
    }

    private static List<long> ReadNonNegativeInts(ref Utf8JsonReader reader, string field, Func<string, SafeTensorsFormatException> bad)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw bad($"\"{field}\" must be an array of non-negative integers, got {Describe(reader.TokenType)}");
        var values = new List<long>();
        while (true)
        {
            reader.Read();
            if (reader.TokenType == JsonTokenType.EndArray) return values;
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long v) || v < 0)
                throw bad($"\"{field}\"[{values.Count}] must be a non-negative integer, got {Text(ref reader)}");
            values.Add(v);
        }
    }

    private static void ValidateOffsets(List<SafeTensorsEntry> entries, long dataLength, string filePath)
    {
        // Sort by (begin, end) so that zero-byte tensors sharing an offset are accepted.
        entries.Sort((a, b) => a.Begin != b.Begin ? a.Begin.CompareTo(b.Begin) : a.End.CompareTo(b.End));
        long expected = 0;
        foreach (var e in entries)
        {
            if (e.Begin != expected)
                throw new SafeTensorsFormatException(SafeTensorsError.InvalidOffsets, filePath, e.Name,
                    $"data_offsets begin at {e.Begin}, expected {expected} ({(e.Begin > expected ? "a gap of " + (e.Begin - expected) + " bytes" : "overlapping the previous tensor")}); tensors must cover the buffer contiguously");
            expected = e.End;
        }
        if (expected != dataLength)
            throw new SafeTensorsFormatException(expected > dataLength ? SafeTensorsError.InvalidOffsets : SafeTensorsError.BufferNotCovered, filePath,
                entries.Count > 0 ? entries[^1].Name : null,
                expected > dataLength
                    ? $"data_offsets end at {expected}, beyond the data buffer of {dataLength} bytes (file truncated?)"
                    : $"tensors cover {expected} bytes of the data buffer, but it holds {dataLength} bytes ({dataLength - expected} bytes unaccounted for)");
    }

    private static long MultiplyOrTooLarge(long a, long b, string filePath, string name)
    {
        try
        {
            return checked(a * b);
        }
        catch (OverflowException)
        {
            throw new SafeTensorsFormatException(SafeTensorsError.TooLarge, filePath, name, $"size {a} × {b} overflows a 64-bit byte count");
        }
    }

    private static string Describe(JsonTokenType t) => t switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => t.ToString(),
    };

    private static string Text(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.Number or JsonTokenType.String => Encoding.UTF8.GetString(reader.ValueSpan),
        _ => Describe(reader.TokenType),
    };
}
