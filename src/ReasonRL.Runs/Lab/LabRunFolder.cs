// LabRunFolder: the layout of one lab run's folder and its resume rules. Every output is written
// atomically (temp file + rename; directories are built under a ".tmp" name and renamed), and each
// stage ends by writing stages/<stage>.json — so a stage is complete exactly when its record exists,
// and a rerun of `reasonrl lab --out DIR` skips it. The preset is stored in lab.json on the first run;
// a rerun with a different preset is refused (its stages would not match).
// Layout: lab.json · data/{train,test}.jsonl · sft/policy/ (HF dir) · sft/metrics.jsonl · sft/baseline.json ·
// samples/samples.jsonl · samples/labelled.jsonl · rm/{prm,orm}/ (HF dirs) · rm/quality.json ·
// runs/<design>/seed-<n>/{metrics.jsonl, policy/, eval.json, result.json} · summary.json · report.html.
// Not the stages themselves (LabOrchestrator and the Lab*Stage classes).
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ReasonRL.Training;

namespace ReasonRL.Runs.Lab;

/// <summary>Paths and atomic IO of a lab run folder.</summary>
public sealed class LabRunFolder
{
    private LabRunFolder(string root) => Root = root;

    /// <summary>The run folder.</summary>
    public string Root { get; }

    /// <summary>Opens (creating when needed) <paramref name="root"/> for <paramref name="preset"/>:
    /// writes lab.json on first use, throws InvalidOperationException when it holds a different preset,
    /// and deletes leftover temp files and folders of an interrupted run.</summary>
    public static LabRunFolder Open(string root, LabPreset preset)
    {
        ArgumentException.ThrowIfNullOrEmpty(root);
        ArgumentNullException.ThrowIfNull(preset);
        var folder = new LabRunFolder(Path.GetFullPath(root));
        Directory.CreateDirectory(folder.Root);
        string wanted = JsonSerializer.Serialize(preset, LabJsonContext.Default.LabPreset);
        string configPath = folder.PathOf("lab.json");
        if (File.Exists(configPath))
        {
            string existing = File.ReadAllText(configPath);
            if (!string.Equals(existing.Trim(), wanted.Trim(), StringComparison.Ordinal))
            {
                throw new InvalidOperationException(
                    $"{configPath}: this run folder was started with a different lab configuration (preset, seeds, designs or steps); " +
                    "resume it with the same options or choose a new --out folder");
            }
        }
        else
        {
            AtomicFile.WriteAllText(configPath, wanted);
        }
        folder.CleanTemporaries();
        return folder;
    }

    /// <summary>Absolute path of <paramref name="relative"/> inside the run folder.</summary>
    public string PathOf(string relative) => Path.Combine(Root, relative);

    /// <summary>The folder of one PPO run, e.g. runs/prm_raw/seed-2.</summary>
    public string RunDirectory(LabDesign design, int seed) =>
        PathOf(Path.Combine("runs", LabDesigns.NameOf(design), "seed-" + seed.ToString(CultureInfo.InvariantCulture)));

    /// <summary>True when stage <paramref name="stage"/> has completed.</summary>
    public bool IsComplete(string stage) => File.Exists(StagePath(stage));

    /// <summary>The record of a completed stage, or null.</summary>
    public LabStageRecord? StageRecord(string stage) =>
        IsComplete(stage) ? ReadJson(StagePath(stage), LabJsonContext.Default.LabStageRecord) : null;

    /// <summary>Marks <paramref name="stage"/> complete (call after all its outputs are written).</summary>
    public LabStageRecord Complete(string stage, TimeSpan elapsed)
    {
        var record = new LabStageRecord(stage, elapsed.TotalSeconds, DateTimeOffset.UtcNow);
        WriteJsonAtomic(StagePath(stage), record, LabJsonContext.Default.LabStageRecord);
        return record;
    }

    private string StagePath(string stage)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        return PathOf(Path.Combine("stages", stage.Replace('/', '.') + ".json"));
    }

    /// <summary>Writes one JSON object per line, atomically.</summary>
    public static void WriteJsonLinesAtomic<T>(string path, IEnumerable<T> rows, JsonTypeInfo<T> typeInfo)
    {
        // One compact object per line: the writer's options (not the context's indentation) decide the layout.
        var buffer = new MemoryStream();
        foreach (var row in rows)
        {
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false }))
            {
                JsonSerializer.Serialize(writer, row, typeInfo);
            }
            buffer.WriteByte((byte)'\n');
        }
        AtomicFile.WriteAllText(path, Encoding.UTF8.GetString(buffer.ToArray()));
    }

    /// <summary>Reads a JSONL file written by <see cref="WriteJsonLinesAtomic"/>; errors name the file and line.</summary>
    public static List<T> ReadJsonLines<T>(string path, JsonTypeInfo<T> typeInfo)
    {
        var rows = new List<T>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0) continue;
            try
            {
                rows.Add(JsonSerializer.Deserialize(line, typeInfo) ?? throw new JsonException("null row"));
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a valid {typeof(T).Name} row: {e.Message}", e);
            }
        }
        return rows;
    }

    /// <summary>Writes <paramref name="value"/> as indented JSON, atomically.</summary>
    public static void WriteJsonAtomic<T>(string path, T value, JsonTypeInfo<T> typeInfo) =>
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

    /// <summary>Runs <paramref name="write"/> into "<paramref name="directory"/>.tmp" and renames it to
    /// <paramref name="directory"/> (replacing an older one), so a half-written model folder never
    /// appears under its final name.</summary>
    public static void WriteDirectoryAtomic(string directory, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        string temp = full + ".tmp";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        write(temp);
        if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
        Directory.Move(temp, full);
    }

    private void CleanTemporaries()
    {
        foreach (var dir in Directory.EnumerateDirectories(Root, "*.tmp", SearchOption.AllDirectories).ToList())
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        foreach (var file in Directory.EnumerateFiles(Root, "*.tmp", SearchOption.AllDirectories).ToList()) File.Delete(file);
    }
}
