// LabRunFolder: the layout of one lab run's folder and its resume rules. Every output is written
// atomically by the shared writers (RunFiles, AtomicFile, AtomicDirectory, the runs' own folders), and each
// stage ends by writing stages/<stage>.json — so a stage is complete exactly when its record exists,
// and a rerun of `reasonrl lab --out DIR` skips it. The preset is stored in lab.json on the first run;
// a rerun with a different preset is refused (its stages would not match).
// Layout: lab.json · data/{train,test}.jsonl · sft/policy/ (HF dir) · sft/metrics.jsonl · sft/baseline.json ·
// samples/samples.jsonl · samples/labelled.jsonl · rm/{prm,orm}/ (HF dirs) · rm/quality.json ·
// runs/<design>/seed-<n>/{metrics.jsonl, policy/, eval.json, result.json} · summary.json · report.html.
// Not the stages themselves (LabOrchestrator and the Lab*Stage classes).
using ReasonRL.Core;
using ReasonRL.Training;
using System.Globalization;
using System.Text.Json;

namespace ReasonRL.Runs.Lab;

/// <summary>Paths and resume rules of a lab run folder.</summary>
public sealed class LabRunFolder
{
    private LabRunFolder(string root) => Root = root;

    /// <summary>The run folder.</summary>
    public string Root { get; }

    /// <summary>Opens (creating when needed) <paramref name="root"/> for <paramref name="preset"/>:
    /// writes lab.json on first use, throws InvalidOperationException when it holds a different preset,
    /// and repairs the leftovers of an interrupted run (AtomicDirectory.RecoverTree: unfinished temp files
    /// and folders deleted, a folder whose replacement was interrupted restored).</summary>
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
        IsComplete(stage) ? RunFiles.ReadJson(StagePath(stage), LabJsonContext.Default.LabStageRecord) : null;

    /// <summary>Marks <paramref name="stage"/> complete (call after all its outputs are written).</summary>
    public LabStageRecord Complete(string stage, TimeSpan elapsed)
    {
        var record = new LabStageRecord(stage, elapsed.TotalSeconds, DateTimeOffset.UtcNow);
        RunFiles.WriteJson(StagePath(stage), record, LabJsonContext.Default.LabStageRecord);
        return record;
    }

    private string StagePath(string stage)
    {
        ArgumentException.ThrowIfNullOrEmpty(stage);
        return PathOf(Path.Combine("stages", stage.Replace('/', '.') + ".json"));
    }

    private void CleanTemporaries() => AtomicDirectory.RecoverTree(Root);
}
