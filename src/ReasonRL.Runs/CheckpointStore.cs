// CheckpointStore: atomic run-folder checkpoints. A save writes every part as
// <root>/step-000123.tmp/<part>.safetensors plus state.json, fsyncs each file, renames the folder
// to step-000123/, then replaces the <root>/latest pointer file atomically (write latest.tmp, fsync,
// rename over latest) and finally deletes all but the newest N checkpoints. A crash at any point
// leaves `latest` naming a complete checkpoint; the next open deletes leftover *.tmp folders/files.
// Parts are arbitrary named float tensors (policy, critic, AdamW first/second moments, …).
// What it is not: a model format (HfCheckpoint is) — this is trainer state for exact resume.
// Directory fsync is not available from .NET on all platforms; the renames rely on the file system's
// rename atomicity (POSIX rename(2)).
// Reference: issue 6 (atomic checkpoints, resume continues exactly).
using ReasonRL.Models;
using ReasonRL.Training;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReasonRL.Runs;

/// <summary>Scalar trainer state saved beside the tensors.</summary>
/// <param name="Step">Optimisation steps completed.</param>
/// <param name="RngState">Xoshiro256** state (4 words).</param>
/// <param name="ConfigHash">SHA-256 of the resolved config YAML (resume refuses a different config unless forced).</param>
/// <param name="MetricsCursor">Byte length of metrics.jsonl at this step.</param>
/// <param name="KlCoefficient">Current β (adaptive controller).</param>
/// <param name="NanConsecutive">NanGuard consecutive count.</param>
/// <param name="NanTotalSkipped">NanGuard total skips.</param>
public sealed record CheckpointState(long Step, ulong[] RngState, string ConfigHash, long MetricsCursor,
    double KlCoefficient, int NanConsecutive, int NanTotalSkipped);

/// <summary>One safetensors file of a checkpoint (e.g. "policy", "critic", "adam_m", "adam_v").</summary>
public sealed record CheckpointPart(string Name, IReadOnlyList<SafeTensorsTensor> Tensors);

/// <summary>A loaded checkpoint.</summary>
public sealed record Checkpoint(string Directory, CheckpointState State, IReadOnlyDictionary<string, SafeTensorsFile> Parts);

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CheckpointState))]
internal sealed partial class CheckpointJsonContext : JsonSerializerContext;

/// <summary>Atomic checkpoint folder.</summary>
public sealed class CheckpointStore
{
    private const string LatestFile = "latest";
    private const string StateFile = "state.json";

    /// <summary>Opens <paramref name="root"/> (created if missing) and deletes half-written leftovers.</summary>
    public CheckpointStore(string root, int keepLast)
    {
        if (keepLast < 1) throw new ArgumentOutOfRangeException(nameof(keepLast), keepLast, "keep_last: expected ≥ 1");
        Root = root;
        KeepLast = keepLast;
        System.IO.Directory.CreateDirectory(root);
        var cleaned = new List<string>();
        foreach (var d in System.IO.Directory.GetDirectories(root, "*.tmp")) { System.IO.Directory.Delete(d, true); cleaned.Add(d); }
        foreach (var f in System.IO.Directory.GetFiles(root, "*.tmp")) { File.Delete(f); cleaned.Add(f); }
        CleanedOnOpen = cleaned;
    }

    /// <summary>Checkpoint root.</summary>
    public string Root { get; }

    /// <summary>How many complete checkpoints are kept.</summary>
    public int KeepLast { get; }

    /// <summary>Leftover temp paths deleted when this store was opened.</summary>
    public IReadOnlyList<string> CleanedOnOpen { get; }

    /// <summary>Folder name of a step.</summary>
    public static string FolderName(long step) => "step-" + step.ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>Saves atomically; <paramref name="afterFile"/> (tests: crash injection) runs after each file is durable.</summary>
    public string Save(CheckpointState state, IReadOnlyList<CheckpointPart> parts, Action<string>? afterFile = null)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in parts)
            if (p.Name.Length == 0 || p.Name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || p.Name == "state" || !names.Add(p.Name))
                throw new ArgumentException($"CheckpointStore: part name '{p.Name}' is empty, duplicated, reserved or not a valid file name.");
        string final = Path.Combine(Root, FolderName(state.Step));
        string tmp = final + ".tmp";
        if (System.IO.Directory.Exists(tmp)) System.IO.Directory.Delete(tmp, true);
        System.IO.Directory.CreateDirectory(tmp);
        foreach (var part in parts)
        {
            string path = Path.Combine(tmp, part.Name + ".safetensors");
            SafeTensorsWriter.Write(path, part.Tensors);
            Fsync(path);
            afterFile?.Invoke(path);
        }
        string statePath = Path.Combine(tmp, StateFile);
        File.WriteAllBytes(statePath, JsonSerializer.SerializeToUtf8Bytes(state, CheckpointJsonContext.Default.CheckpointState));
        Fsync(statePath);
        afterFile?.Invoke(statePath);

        if (System.IO.Directory.Exists(final)) System.IO.Directory.Delete(final, true);
        System.IO.Directory.Move(tmp, final);
        afterFile?.Invoke(final);

        string latestTmp = Path.Combine(Root, LatestFile + ".tmp");
        File.WriteAllText(latestTmp, FolderName(state.Step) + "\n");
        Fsync(latestTmp);
        File.Move(latestTmp, Path.Combine(Root, LatestFile), overwrite: true);
        Prune(state.Step);
        return final;
    }

    /// <summary>Steps of the complete checkpoints present, ascending.</summary>
    public IReadOnlyList<long> Steps()
    {
        var steps = new List<long>();
        foreach (var d in System.IO.Directory.GetDirectories(Root, "step-*"))
        {
            var name = Path.GetFileName(d);
            if (long.TryParse(name.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out long s)) steps.Add(s);
        }
        steps.Sort();
        return steps;
    }

    /// <summary>Loads the checkpoint `latest` points to, or null when there is none.</summary>
    public Checkpoint? LoadLatest()
    {
        string pointer = Path.Combine(Root, LatestFile);
        if (!File.Exists(pointer)) return null;
        string folder = File.ReadAllText(pointer).Trim();
        string dir = Path.Combine(Root, folder);
        if (!System.IO.Directory.Exists(dir))
            throw new InvalidDataException($"{pointer}: points to '{folder}', which does not exist in {Root}.");
        string statePath = Path.Combine(dir, StateFile);
        var state = JsonSerializer.Deserialize(File.ReadAllBytes(statePath), CheckpointJsonContext.Default.CheckpointState)
            ?? throw new InvalidDataException($"{statePath}: empty state.");
        var parts = new Dictionary<string, SafeTensorsFile>(StringComparer.Ordinal);
        foreach (var f in System.IO.Directory.GetFiles(dir, "*.safetensors"))
            parts[Path.GetFileNameWithoutExtension(f)] = SafeTensorsReader.Read(f);
        return new Checkpoint(dir, state, parts);
    }

    private void Prune(long latestStep)
    {
        var steps = Steps();
        int excess = steps.Count - KeepLast;
        for (int i = 0; i < steps.Count && excess > 0; i++)
        {
            if (steps[i] == latestStep) continue;
            System.IO.Directory.Delete(Path.Combine(Root, FolderName(steps[i])), true);
            excess--;
        }
    }

    private static void Fsync(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
        fs.Flush(flushToDisk: true);
    }
}
