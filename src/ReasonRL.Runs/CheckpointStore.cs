// CheckpointStore: durable run-folder checkpoints. A save builds step-000123/ through AtomicDirectory
// (every part as <part>.safetensors plus state.json in step-000123.tmp/, each file and the folder
// fsync'ed, then swapped in; re-saving an existing step moves the old copy to .old first, so there is
// no moment without a complete step-000123), then replaces the <root>/latest pointer through
// AtomicFile (latest.tmp, fsync, rename, folder fsync) and finally deletes all but the newest N
// checkpoints (AtomicDirectory.Delete). A crash at any point leaves `latest` naming a complete
// checkpoint; the next open repairs the leftovers (AtomicDirectory.RecoverTree: unfinished .tmp
// deleted, an interrupted swap's .old renamed back) and lists what it did.
// Parts are arbitrary named float tensors (policy, critic, AdamW first/second moments, …).
// What it is not: a model format (HfCheckpoint is) — this is trainer state for exact resume.
// References: issue 6 (atomic checkpoints, resume continues exactly); issue 17 and
// docs/conventions.md §21 (durable writes).
using ReasonRL.Core;
using ReasonRL.Models;
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

    /// <summary>Opens <paramref name="root"/> (created if missing) and repairs the leftovers of an interrupted save.</summary>
    public CheckpointStore(string root, int keepLast)
    {
        if (keepLast < 1) throw new ArgumentOutOfRangeException(nameof(keepLast), keepLast, "keep_last: expected ≥ 1");
        Root = root;
        KeepLast = keepLast;
        System.IO.Directory.CreateDirectory(root);
        CleanedOnOpen = AtomicDirectory.RecoverTree(root);
    }

    /// <summary>Checkpoint root.</summary>
    public string Root { get; }

    /// <summary>How many complete checkpoints are kept.</summary>
    public int KeepLast { get; }

    /// <summary>What the open repaired: one line per leftover deleted or restored.</summary>
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
        AtomicDirectory.Write(final, tmp =>
        {
            foreach (var part in parts)
            {
                string path = Path.Combine(tmp, part.Name + ".safetensors");
                SafeTensorsWriter.Write(path, part.Tensors);
                afterFile?.Invoke(path);
            }
            string statePath = Path.Combine(tmp, StateFile);
            AtomicFile.WriteAllBytes(statePath, JsonSerializer.SerializeToUtf8Bytes(state, CheckpointJsonContext.Default.CheckpointState));
            afterFile?.Invoke(statePath);
        });
        afterFile?.Invoke(final);

        AtomicFile.WriteAllText(Path.Combine(Root, LatestFile), FolderName(state.Step) + "\n");
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
            AtomicDirectory.Delete(Path.Combine(Root, FolderName(steps[i])));
            excess--;
        }
    }
}
