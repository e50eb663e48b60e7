// RunFiles: typed JSON and JSON Lines files of run folders (the lab's records, summaries, rows),
// written atomically through AtomicFile / JsonlFile and read back with errors that name the file and line.
// What it is not: streamed dataset IO (Data.Datasets.JsonlFile) or the metrics log (MetricsWriter).
using ReasonRL.Data.Datasets;
using ReasonRL.Training;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ReasonRL.Runs;

/// <summary>Atomic JSON / JSONL files.</summary>
public static class RunFiles
{
    /// <summary>Writes one JSON object per line, atomically (JsonlFile).</summary>
    public static void WriteJsonLines<T>(string path, IEnumerable<T> rows, JsonTypeInfo<T> typeInfo) => JsonlFile.Write(path, rows, typeInfo);

    /// <summary>Reads a JSONL file written by <see cref="WriteJsonLines"/>; errors name the file and line (DatasetFormatException).</summary>
    public static List<T> ReadJsonLines<T>(string path, JsonTypeInfo<T> typeInfo) => [.. JsonlFile.Read(path, typeInfo)];

    /// <summary>Writes <paramref name="value"/> as indented JSON, atomically.</summary>
    public static void WriteJson<T>(string path, T value, JsonTypeInfo<T> typeInfo) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(value, typeInfo));

    /// <summary>Reads a JSON file; a bad file is an InvalidDataException naming it.</summary>
    public static T ReadJson<T>(string path, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), typeInfo)
                ?? throw new InvalidDataException($"{path}: expected a {typeof(T).Name} object, found null");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }
}
