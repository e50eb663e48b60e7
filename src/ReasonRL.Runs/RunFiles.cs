// RunFiles: typed JSON files of run folders (the lab's records and summary), written atomically through
// AtomicFile and read back with errors that name the file. JSON Lines go through Data.Datasets.JsonlFile.
// What it is not: the metrics log (MetricsWriter).
using ReasonRL.Core;
using ReasonRL.Data.Datasets;
using ReasonRL.Training;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ReasonRL.Runs;

/// <summary>Atomic JSON files.</summary>
public static class RunFiles
{
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
