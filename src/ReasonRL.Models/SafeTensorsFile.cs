// SafeTensorsFile: everything loaded from one .safetensors file — its path, its "__metadata__"
// string map and its tensors in file (offset) order, with lookup by name.
// What it is not: the parser (SafeTensorsHeader / SafeTensorsReader) or a checkpoint with a
// model config (HfCheckpoint).
namespace ReasonRL.Models;

/// <summary>The metadata and tensors of one safetensors file.</summary>
public sealed class SafeTensorsFile
{
    private readonly Dictionary<string, SafeTensorsTensor> byName;

    public SafeTensorsFile(string filePath, IReadOnlyDictionary<string, string> metadata, IReadOnlyList<SafeTensorsTensor> tensors)
    {
        FilePath = filePath;
        Metadata = metadata;
        Tensors = tensors;
        byName = new Dictionary<string, SafeTensorsTensor>(tensors.Count, StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (!byName.TryAdd(t.Name, t)) throw new ArgumentException($"{filePath}: tensor \"{t.Name}\" appears twice");
        }
    }

    /// <summary>The file the tensors came from.</summary>
    public string FilePath { get; }

    /// <summary>The header's "__metadata__" map (empty when absent).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Tensors in the order of their data offsets.</summary>
    public IReadOnlyList<SafeTensorsTensor> Tensors { get; }

    /// <summary>Tensors by name.</summary>
    public IReadOnlyDictionary<string, SafeTensorsTensor> ByName => byName;

    /// <summary>The tensor called <paramref name="name"/>; throws <see cref="KeyNotFoundException"/>
    /// naming the file when it is absent.</summary>
    public SafeTensorsTensor this[string name] => byName.TryGetValue(name, out var t) ? t
        : throw new KeyNotFoundException($"{FilePath}: no tensor \"{name}\" (the file holds {byName.Count} tensors)");
}
