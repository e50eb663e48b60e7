// HfCheckpoint: loads and saves a Hugging Face model directory — config.json plus either
// model.safetensors or shards model-0000i-of-0000n.safetensors listed by
// model.safetensors.index.json ({"metadata": {"total_size": bytes}, "weight_map": {name: shard}})
// — as a ModelConfig and a name → tensor dictionary (F16/BF16 converted to F32 on load).
// Loading follows transformers' precedence (model.safetensors first, then the index) and checks
// that the index and shards agree exactly and, by default, that the tensors are exactly those
// HfCheckpointLayout expects for config.json. Saving writes a directory transformers'
// AutoModelForCausalLM.from_pretrained loads: config.json, and shards carrying
// __metadata__ {"format": "pt"} (transformers refuses safetensors without it).
// What it is not: the mapping onto the engine's memory (the Transformer owns that), a
// tokenizer/generation_config writer, or a PyTorch .bin reader.
// Reference: transformers modeling_utils (SAFE_WEIGHTS_NAME, SAFE_WEIGHTS_INDEX_NAME, shard naming).
using ReasonRL.Core;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace ReasonRL.Models;

/// <summary>A model directory's config and tensors.</summary>
public sealed class HfCheckpoint
{
    /// <summary>"config.json".</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>"model.safetensors" (single-file checkpoint).</summary>
    public const string SingleFileName = "model.safetensors";

    /// <summary>"model.safetensors.index.json" (sharded checkpoint).</summary>
    public const string IndexFileName = "model.safetensors.index.json";

    private HfCheckpoint(string directoryPath, ModelConfig config, IReadOnlyDictionary<string, SafeTensorsTensor> tensors, IReadOnlyList<string> files)
    {
        DirectoryPath = directoryPath;
        Config = config;
        Tensors = tensors;
        Files = files;
    }

    /// <summary>The directory loaded.</summary>
    public string DirectoryPath { get; }

    /// <summary>The mapped config.json.</summary>
    public ModelConfig Config { get; }

    /// <summary>Tensors by HF name (e.g. "model.layers.0.mlp.up_proj.weight"), row-major, float
    /// tensors as F32.</summary>
    public IReadOnlyDictionary<string, SafeTensorsTensor> Tensors { get; }

    /// <summary>The safetensors files read, in order.</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>Values of float tensor <paramref name="name"/>; throws naming the directory when absent.</summary>
    public float[] Floats(string name) => Tensors.TryGetValue(name, out var t) ? t.Floats
        : throw new KeyNotFoundException($"{DirectoryPath}: no tensor \"{name}\"");

    /// <summary>The tensors in <see cref="HfCheckpointLayout.Expected"/> order (a tied checkpoint's
    /// surplus lm_head.weight left out), ready for <see cref="Save"/>.</summary>
    public IReadOnlyList<SafeTensorsTensor> OrderedTensors() =>
        HfCheckpointLayout.Expected(Config).Select(spec => Tensors.TryGetValue(spec.Name, out var t) ? t
            : throw new HfCheckpointException(DirectoryPath, spec.Name, "missing; load with checkLayout to find every such problem")).ToList();

    /// <summary>Writes this checkpoint to <paramref name="directory"/>, every float tensor stored
    /// as <paramref name="dtype"/> (null keeps each tensor's dtype), sharded as in <see cref="Save"/>.</summary>
    public void SaveAs(string directory, SafeTensorsDType? dtype = null, long maxShardBytes = 0)
    {
        if (dtype is { } d && SafeTensorsDTypes.IsInteger(d)) throw new ArgumentException($"dtype must be F32, F16 or BF16, got {d}");
        var tensors = OrderedTensors();
        Save(directory, Config, dtype is { } target ? tensors.Select(t => t.StoredAs(target)).ToList() : tensors, maxShardBytes);
    }

    /// <summary>Reads only config.json and the safetensors headers of <paramref name="directory"/>
    /// (cheap for large checkpoints): the config and each file's validated header, in file order.</summary>
    public static (ModelConfig Config, IReadOnlyList<SafeTensorsHeader> Headers) ReadHeaders(string directory)
    {
        var config = HfConfig.Load(Path.Combine(directory, ConfigFileName));
        string single = Path.Combine(directory, SingleFileName), index = Path.Combine(directory, IndexFileName);
        if (File.Exists(single)) return (config, [SafeTensorsReader.ReadHeader(single)]);
        if (!File.Exists(index)) throw new FileNotFoundException($"{directory}: neither {SingleFileName} nor {IndexFileName} exists", single);
        var shards = ReadWeightMap(index).Values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return (config, shards.Select(s => SafeTensorsReader.ReadHeader(Path.Combine(directory, s))).ToList());
    }

    /// <summary>Loads <paramref name="directory"/>. With <paramref name="checkLayout"/> (default)
    /// the tensor set must match <see cref="HfCheckpointLayout.Expected"/> for its config.json
    /// (a tied checkpoint may still carry lm_head.weight). Before any tensor is read, the model's
    /// estimated load size must fit <paramref name="maxModelBytes"/> (null: the machine's memory;
    /// <see cref="ModelMemory"/>).</summary>
    /// <exception cref="HfConfigException">config.json cannot be mapped, or the model is too large.</exception>
    /// <exception cref="SafeTensorsFormatException">a shard or the index is malformed.</exception>
    /// <exception cref="HfCheckpointException">the tensors do not match config.json.</exception>
    public static HfCheckpoint Load(string directory, bool checkLayout = true, long? maxModelBytes = null)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"checkpoint directory {directory} does not exist");
        string configPath = Path.Combine(directory, ConfigFileName);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"{directory}: no {ConfigFileName}", configPath);
        var config = HfConfig.Load(configPath);
        ModelMemory.Check(config, configPath, maxModelBytes);

        string single = Path.Combine(directory, SingleFileName), index = Path.Combine(directory, IndexFileName);
        Dictionary<string, SafeTensorsTensor> tensors;
        List<string> files;
        if (File.Exists(single))
        {
            var file = SafeTensorsReader.Read(single);
            tensors = new Dictionary<string, SafeTensorsTensor>(file.ByName, StringComparer.Ordinal);
            files = [single];
        }
        else if (File.Exists(index))
        {
            (tensors, files) = LoadSharded(directory, index);
        }
        else
        {
            throw new FileNotFoundException($"{directory}: neither {SingleFileName} nor {IndexFileName} exists", single);
        }
        if (checkLayout) HfCheckpointLayout.Check(config, tensors, directory, allowTiedHead: true);
        return new HfCheckpoint(directory, config, tensors, files);
    }

    /// <summary>Writes <paramref name="config"/> and <paramref name="tensors"/> (which must match
    /// <see cref="HfCheckpointLayout.Expected"/>; tied models carry no lm_head.weight) to
    /// <paramref name="directory"/> (created if needed). When the tensors' bytes exceed
    /// <paramref name="maxShardBytes"/> (&gt; 0) they are split, in the given order, into shards
    /// model-0000i-of-0000n.safetensors of at most that many bytes (a single larger tensor gets a
    /// shard of its own) plus model.safetensors.index.json; otherwise one model.safetensors.
    /// A stale single file or index of the other kind is deleted so the directory is unambiguous.</summary>
    public static void Save(string directory, ModelConfig config, IReadOnlyList<SafeTensorsTensor> tensors, long maxShardBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var byName = new Dictionary<string, SafeTensorsTensor>(StringComparer.Ordinal);
        foreach (var t in tensors)
        {
            if (!byName.TryAdd(t.Name, t)) throw new ArgumentException($"tensor \"{t.Name}\" is given twice");
        }
        HfCheckpointLayout.Check(config, byName, directory, allowTiedHead: false);
        Directory.CreateDirectory(directory);
        HfConfig.Save(Path.Combine(directory, ConfigFileName), config);

        var metadata = new Dictionary<string, string> { ["format"] = "pt" };
        var shards = Split(tensors, maxShardBytes);
        string single = Path.Combine(directory, SingleFileName), index = Path.Combine(directory, IndexFileName);
        if (shards.Count == 1)
        {
            SafeTensorsWriter.Write(single, tensors, metadata);
            AtomicFile.Delete(index);
            return;
        }
        var weightMap = new SortedDictionary<string, string>(StringComparer.Ordinal);
        long totalBytes = 0;
        for (int i = 0; i < shards.Count; i++)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors");
            SafeTensorsWriter.Write(Path.Combine(directory, name), shards[i], metadata);
            foreach (var t in shards[i])
            {
                weightMap[t.Name] = name;
                totalBytes += t.ByteLength;
            }
        }
        AtomicFile.WriteAllText(index, IndexJson(totalBytes, weightMap));
        AtomicFile.Delete(single);
    }

    private static List<List<SafeTensorsTensor>> Split(IReadOnlyList<SafeTensorsTensor> tensors, long maxShardBytes)
    {
        var shards = new List<List<SafeTensorsTensor>> { new() };
        long current = 0;
        foreach (var t in tensors)
        {
            if (maxShardBytes > 0 && current > 0 && current + t.ByteLength > maxShardBytes)
            {
                shards.Add([]);
                current = 0;
            }
            shards[^1].Add(t);
            current += t.ByteLength;
        }
        return shards;
    }

    private static string IndexJson(long totalBytes, SortedDictionary<string, string> weightMap)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartObject("metadata");
            w.WriteNumber("total_size", totalBytes);
            w.WriteEndObject();
            w.WriteStartObject("weight_map");
            foreach (var (name, shard) in weightMap) w.WriteString(name, shard);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static (Dictionary<string, SafeTensorsTensor>, List<string>) LoadSharded(string directory, string indexPath)
    {
        var weightMap = ReadWeightMap(indexPath);
        var byShard = new SortedDictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (name, shard) in weightMap)
        {
            if (!byShard.TryGetValue(shard, out var set)) byShard[shard] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(name);
        }
        var tensors = new Dictionary<string, SafeTensorsTensor>(StringComparer.Ordinal);
        var files = new List<string>();
        foreach (var (shard, names) in byShard)
        {
            string path = Path.Combine(directory, shard);
            if (!File.Exists(path))
                throw new SafeTensorsFormatException(SafeTensorsError.InvalidIndex, indexPath, names.Min(StringComparer.Ordinal),
                    $"weight_map names shard \"{shard}\", which does not exist in {directory}");
            var file = SafeTensorsReader.Read(path);
            files.Add(path);
            foreach (var t in file.Tensors)
            {
                if (!names.Contains(t.Name))
                    throw new SafeTensorsFormatException(SafeTensorsError.InvalidIndex, indexPath, t.Name,
                        weightMap.TryGetValue(t.Name, out var other)
                            ? $"stored in \"{shard}\" but weight_map says \"{other}\""
                            : $"stored in \"{shard}\" but absent from weight_map");
                tensors.Add(t.Name, t);
            }
            foreach (var name in names)
            {
                if (!file.ByName.ContainsKey(name))
                    throw new SafeTensorsFormatException(SafeTensorsError.InvalidIndex, indexPath, name, $"weight_map says shard \"{shard}\", but that file has no such tensor");
            }
        }
        return (tensors, files);
    }

    private static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        SafeTensorsFormatException Bad(string problem, string? tensor = null) => new(SafeTensorsError.InvalidIndex, indexPath, tensor, problem);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        }
        catch (JsonException ex)
        {
            throw new SafeTensorsFormatException(SafeTensorsError.InvalidIndex, indexPath, null, $"not valid JSON: {ex.Message}", ex);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw Bad("expected an object with a \"weight_map\" object {tensor name: shard file name}");
            var weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in map.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                    throw Bad($"weight_map value must be a shard file name string, got {p.Value.GetRawText()}", p.Name);
                string shard = p.Value.GetString()!;
                // A shard is a plain file name beside the index: no folders, no way out of the directory.
                if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or ".." || shard.Contains('/') || shard.Contains('\\')
                    || !shard.EndsWith(".safetensors", StringComparison.Ordinal))
                    throw Bad($"shard must be a file name ending in .safetensors in the same directory, got \"{shard}\"", p.Name);
                if (!weightMap.TryAdd(p.Name, shard)) throw Bad("appears more than once in weight_map", p.Name);
            }
            if (weightMap.Count == 0) throw Bad("weight_map is empty; expected at least one tensor");
            return weightMap;
        }
    }
}
