// JsonlFile: reading and writing JSON Lines (one JSON value per line, UTF-8, "\n" separators) with
// System.Text.Json source-generated metadata; ".gz" paths are gzip-compressed transparently. Blank
// lines are skipped on read. Errors name the file and the 1-based line (DatasetFormatException).
// Not a schema validator: typed loaders (Gsm8kLoader, MathLoader) check their fields on JsonElement.
using ReasonRL.Core;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ReasonRL.Data.Datasets;

/// <summary>JSONL read/write helpers.</summary>
public static class JsonlFile
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Opens <paramref name="path"/> for reading text, decompressing when it ends in ".gz".</summary>
    public static StreamReader OpenText(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        Stream stream = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) stream = new GZipStream(stream, CompressionMode.Decompress);
        return new StreamReader(stream, Utf8NoBom, detectEncodingFromByteOrderMarks: true);
    }

    /// <summary>The non-blank lines of a JSONL file with their 1-based line numbers. Invalid UTF-8
    /// becomes a DatasetFormatException naming the line.</summary>
    public static IEnumerable<(long Line, string Text)> ReadLines(string path)
    {
        using var reader = OpenText(path);
        long lineNumber = 0;
        while (true)
        {
            string? text;
            try
            {
                text = reader.ReadLine();
            }
            catch (DecoderFallbackException e)
            {
                throw new DatasetFormatException(path, lineNumber + 1, null, "invalid UTF-8", e);
            }
            catch (InvalidDataException e)
            {
                throw new DatasetFormatException(path, lineNumber + 1, null, "corrupt gzip stream: " + e.Message, e);
            }
            if (text is null) yield break;
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(text)) yield return (lineNumber, text);
        }
    }

    /// <summary>Reads every non-blank line as a <typeparamref name="T"/>.</summary>
    public static IEnumerable<T> Read<T>(string path, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        foreach (var (line, text) in ReadLines(path))
        {
            T? value;
            try
            {
                value = JsonSerializer.Deserialize(text, typeInfo);
            }
            catch (JsonException e)
            {
                throw new DatasetFormatException(path, line, e.Path is null or "$" ? null : e.Path.TrimStart('$', '.'),
                    $"not a valid {typeof(T).Name}: {e.Message}", e);
            }
            yield return value ?? throw new DatasetFormatException(path, line, null, $"expected a {typeof(T).Name} object, found null");
        }
    }

    /// <summary>Writes one JSON value per line ("\n"-terminated), gzip-compressed when the path ends
    /// in ".gz". Writes through AtomicFile (temporary file, fsync, rename, folder fsync), so a crash never
    /// leaves half a file; creates the folder when missing.</summary>
    public static void Write<T>(string path, IEnumerable<T> items, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(typeInfo);
        AtomicFile.Write(path, file =>
        {
            Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
                ? new GZipStream(file, CompressionLevel.Optimal, leaveOpen: true)
                : file;
            using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = false }))
            {
                foreach (var item in items)
                {
                    JsonSerializer.Serialize(writer, item, typeInfo);
                    writer.Flush();
                    writer.Reset();
                    stream.WriteByte((byte)'\n');
                }
            }
            if (stream != file) stream.Dispose();   // gzip: its trailer goes into the file before the sync
        });
    }
}
