// LabSweep: `reasonrl lab sweep` — the honest tuning protocol. Every point of a grid of lab settings
// (e.g. --grid policy_lr=2e-5,5e-5,1e-4) trains the success-only design, and only it, for each seed and
// is scored by greedy accuracy on the validation split (train-split problems never trained on); the test
// split is never generated into a sweep's evaluation. The point with the highest mean validation accuracy
// is the choice; every design of `reasonrl lab` then runs with it. Points that change only PPO settings
// share one data + SFT stage (copied into each point's folder); a point that changes anything upstream
// runs its own. Writes sweep.json and sweep.md (the table committed in docs/) into the sweep folder;
// every point folder is a lab folder, so an interrupted sweep resumes.
// Not the lab (LabOrchestrator) and not a search strategy: a plain grid.
using ReasonRL.Core;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ReasonRL.Runs.Lab;

/// <summary>One grid point's validation results.</summary>
/// <param name="Settings">The point's key=value settings.</param>
/// <param name="SftAccuracy">Validation accuracy of the point's SFT policy.</param>
/// <param name="Accuracy">Validation accuracy of the success-only policy per seed.</param>
/// <param name="Gain">Paired difference success − SFT over seeds (accuracy, 0–1).</param>
/// <param name="Chosen">The highest mean validation accuracy of the grid.</param>
public sealed record LabSweepPoint(IReadOnlyList<string> Settings, double SftAccuracy, IReadOnlyDictionary<int, double> Accuracy,
    double MeanAccuracy, PairedDifference Gain, double MeanSteps, double WallSeconds, bool Chosen);

/// <summary>A finished sweep.</summary>
public sealed record LabSweepResult(string Preset, IReadOnlyList<string> Set, IReadOnlyList<string> Grid, IReadOnlyList<int> Seeds,
    int ValidationProblems, IReadOnlyList<LabSweepPoint> Points, string Command);

/// <summary>Runs a grid of success-only lab runs scored on the validation split.</summary>
public static class LabSweep
{
    /// <summary>Keys that change only the PPO runs: points differing only in them share data + SFT.</summary>
    public static IReadOnlySet<string> PpoOnlyKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "policy_lr", "critic_lr", "warmup_steps", "kl_coef", "ppo_epochs", "mini_batch_size", "ppo_steps", "prompts_per_step",
        "rollouts_per_prompt", "estimator", "checkpoint_every", "parallel_runs",
    };

    /// <summary>The grid's points: the cartesian product of "key=v1,v2,…" axes, first axis slowest.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Expand(IReadOnlyList<string> grid)
    {
        ArgumentNullException.ThrowIfNull(grid);
        IEnumerable<IReadOnlyList<string>> points = [[]];
        foreach (string axis in grid)
        {
            int eq = axis.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new ArgumentException($"--grid \"{axis}\": expected key=v1,v2,…, e.g. policy_lr=2e-5,5e-5");
            string key = axis[..eq].Trim();
            var values = axis[(eq + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (values.Length == 0) throw new ArgumentException($"--grid {key}: no values; expected key=v1,v2,…");
            if (!LabPresetOverrides.Keys.Contains(key)) throw new ArgumentException($"--grid {key}: unknown key; expected one of {string.Join(", ", LabPresetOverrides.Keys)}");
            points = points.SelectMany(p => values.Select(v => (IReadOnlyList<string>)[.. p, $"{key}={v}"])).ToList();
        }
        return points.ToList();
    }

    /// <summary>Folder name of a point, e.g. "policy_lr=5e-05,kl_coef=0.01" made file-safe.</summary>
    public static string FolderOf(IReadOnlyList<string> settings) =>
        settings.Count == 0 ? "base" : string.Join("_", settings).Replace('/', '-').Replace(' ', '-');

    /// <summary>Runs (or resumes) the sweep in <paramref name="outDir"/>.</summary>
    public static LabSweepResult Run(LabPreset preset, IReadOnlyList<string> set, IReadOnlyList<string> grid, string outDir, string command,
        Action<LabProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(set);
        // success only: no reward model is trained, so neither is the PRM's base model
        var basePreset = LabPresetOverrides.ApplyAll(preset with { Designs = [LabDesign.Success], PrmBaseSteps = 0 }, set);
        var points = Expand(grid);
        // Validate every point before any work starts.
        var presets = points.Select(p => LabPresetOverrides.ApplyAll(basePreset, p)).ToList();
        bool shared = points.All(p => p.All(s => PpoOnlyKeys.Contains(s[..s.IndexOf('=', StringComparison.Ordinal)])));
        string sharedDir = Path.Combine(outDir, "shared");
        if (shared)
        {
            var ctx = new LabContext(LabRunFolder.Open(sharedDir, basePreset), basePreset, progress, ct, evaluateOnValidation: true);
            LabSftStage.RunData(ctx);
            LabSftStage.RunSft(ctx);
        }
        var results = new List<LabSweepPoint>();
        for (int i = 0; i < points.Count; i++)
        {
            var clock = Stopwatch.StartNew();
            var folder = LabRunFolder.Open(Path.Combine(outDir, "points", FolderOf(points[i])), presets[i]);
            if (shared) CopySharedStages(sharedDir, folder);
            // Each point's tasks get their own keys (its PPO progress restarts at 0), so a live view or ETA is per point.
            string tag = string.Create(CultureInfo.InvariantCulture, $" {i + 1}/{points.Count}");
            var ctx = new LabContext(folder, presets[i], progress is null ? null : p => progress(p with { Task = p.Task + tag }), ct, evaluateOnValidation: true);
            LabSftStage.RunData(ctx);
            var sft = LabSftStage.RunSft(ctx);
            var runs = LabOrchestrator.RunPpo(ctx);
            var accuracy = runs.ToDictionary(r => r.Seed, r => r.Eval.Accuracy);
            var gain = PairedDifference.Of(accuracy, accuracy.Keys.ToDictionary(s => s, _ => sft.Summary.Accuracy));
            results.Add(new LabSweepPoint(points[i], sft.Summary.Accuracy, accuracy, accuracy.Values.Average(), gain,
                runs.Average(r => r.Eval.MeanSteps), clock.Elapsed.TotalSeconds, Chosen: false));
            progress?.Invoke(new LabProgress("sweep", string.Create(CultureInfo.InvariantCulture,
                $"point {i + 1}/{points.Count} {string.Join(" ", points[i])}: validation accuracy {accuracy.Values.Average():P1} (SFT {sft.Summary.Accuracy:P1})"), i + 1, points.Count, Milestone: true));
        }
        double best = results.Max(r => r.MeanAccuracy);
        int chosen = results.FindIndex(r => r.MeanAccuracy == best);
        results[chosen] = results[chosen] with { Chosen = true };
        var sweep = new LabSweepResult(basePreset.Name, set, grid, basePreset.Seeds, basePreset.ValidationProblems, results, command);
        RunFiles.WriteJson(Path.Combine(outDir, "sweep.json"), sweep, LabJsonContext.Default.LabSweepResult);
        AtomicFile.WriteAllText(Path.Combine(outDir, "sweep.md"), Markdown(sweep));
        return sweep;
    }

    /// <summary>Copies the shared data and SFT stages into a point folder that lacks them (same task, same SFT settings).</summary>
    private static void CopySharedStages(string sharedDir, LabRunFolder folder)
    {
        foreach (var (stage, dirs) in new[] { (LabSftStage.DataKey, new[] { "data" }), (LabSftStage.SftKey, new[] { "sft" }) })
        {
            if (folder.IsComplete(stage)) continue;
            foreach (string d in dirs)
                AtomicDirectory.Write(folder.PathOf(d), temp => CopyTree(Path.Combine(sharedDir, d), temp));
            var record = RunFiles.ReadJson(Path.Combine(sharedDir, "stages", stage + ".json"), LabJsonContext.Default.LabStageRecord);
            folder.Complete(stage, TimeSpan.FromSeconds(record.WallSeconds));
        }
    }

    private static void CopyTree(string from, string to)
    {
        foreach (string dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        foreach (string file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            AtomicFile.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }

    /// <summary>The sweep table as Markdown (what docs/lab-sweep.md commits).</summary>
    public static string Markdown(LabSweepResult s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(inv, $"Command: `{s.Command}`").AppendLine();
        sb.AppendLine(inv, $"Preset {s.Preset}{(s.Set.Count > 0 ? " with " + string.Join(" ", s.Set) : "")}; success-only design; seeds {string.Join(",", s.Seeds)}; ")
          .AppendLine(inv, $"greedy accuracy on {s.ValidationProblems} validation problems (train split, never trained on). Gain = success − SFT, {PairedDifference.Method}.").AppendLine();
        sb.AppendLine("| setting | SFT | success-only (mean) | per seed | gain over SFT | lines | wall s | chosen |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var p in s.Points)
        {
            string perSeed = string.Join(" ", p.Accuracy.OrderBy(kv => kv.Key).Select(kv => (100 * kv.Value).ToString("F1", inv)));
            sb.AppendLine(inv, $"| {(p.Settings.Count == 0 ? "(preset)" : string.Join(" ", p.Settings))} | {100 * p.SftAccuracy:F1} | {100 * p.MeanAccuracy:F1} | {perSeed} | {p.Gain.Format(100, " pt")} | {p.MeanSteps:F2} | {p.WallSeconds:F0} | {(p.Chosen ? "**yes**" : "")} |");
        }
        return sb.ToString();
    }
}
