// LabPresetOverrides: `reasonrl lab --set key=value` — one named setting of a LabPreset changed from the
// command line (and the sweep's grid axes), by snake_case key: e.g. policy_lr=5e-5, sft_steps=600,
// task.operand_max=12. Each key maps to one init property; values are parsed invariantly and the result
// is validated by LabPreset.Validate. Not the preset itself (LabPreset) and not the CLI.
using ReasonRL.Data.Lab;
using ReasonRL.Training.Ppo;
using System.Globalization;

namespace ReasonRL.Runs.Lab;

/// <summary>Applies key=value settings to a preset.</summary>
public static class LabPresetOverrides
{
    private delegate LabPreset Setter(LabPreset p, string value, string key);

    private static int Int(string v, string key) => int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out int x)
        ? x : throw new ArgumentException($"--set {key}={v}: expected an integer");

    private static double Real(string v, string key) => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)
        ? x : throw new ArgumentException($"--set {key}={v}: expected a finite number, e.g. 5e-5");

    /// <summary>"restatement", "repeat", "inverse_check", "all" or "none", or several joined by '+'
    /// (a comma would split a sweep's grid values), e.g. <c>restatement+repeat</c>.</summary>
    private static UnnecessaryLineKinds Kinds(string v, string key)
    {
        var kinds = UnnecessaryLineKinds.None;
        foreach (string part in v.Split('+', StringSplitOptions.TrimEntries))
        {
            kinds |= part switch
            {
                "restatement" => UnnecessaryLineKinds.Restatement,
                "repeat" => UnnecessaryLineKinds.Repeat,
                "inverse_check" => UnnecessaryLineKinds.InverseCheck,
                "all" => UnnecessaryLineKinds.All,
                "none" => UnnecessaryLineKinds.None,
                _ => throw new ArgumentException($"--set {key}={v}: expected restatement, repeat, inverse_check, all or none, several joined by '+' (e.g. restatement+repeat)"),
            };
        }
        return kinds;
    }

    private static readonly Dictionary<string, Setter> Setters = new(StringComparer.Ordinal)
    {
        ["train_problems"] = (p, v, k) => p with { TrainProblems = Int(v, k) },
        ["test_problems"] = (p, v, k) => p with { TestProblems = Int(v, k) },
        ["validation_problems"] = (p, v, k) => p with { ValidationProblems = Int(v, k) },
        ["policy_size"] = (p, v, _) => p with { PolicySize = v },
        ["max_positions"] = (p, v, k) => p with { MaxPositions = Int(v, k) },
        ["sft_steps"] = (p, v, k) => p with { SftSteps = Int(v, k) },
        ["sft_batch_size"] = (p, v, k) => p with { SftBatchSize = Int(v, k) },
        ["sft_lr"] = (p, v, k) => p with { SftLearningRate = Real(v, k) },
        ["sample_problems"] = (p, v, k) => p with { SampleProblems = Int(v, k) },
        ["perturbed_problems"] = (p, v, k) => p with { PerturbedProblems = Int(v, k) },
        ["run_on_share"] = (p, v, k) => p with { RunOnShare = Real(v, k) },
        ["extra_operation_share"] = (p, v, k) => p with { ExtraOperationShare = Real(v, k) },
        ["samples_per_problem"] = (p, v, k) => p with { SamplesPerProblem = Int(v, k) },
        ["prm_epochs"] = (p, v, k) => p with { PrmEpochs = Int(v, k) },
        ["prm_extra_layers"] = (p, v, k) => p with { PrmExtraLayers = Int(v, k) },
        ["prm_base_steps"] = (p, v, k) => p with { PrmBaseSteps = Int(v, k) },
        ["prm_drills"] = (p, v, k) => p with { PrmDrills = Int(v, k) },
        ["orm_epochs"] = (p, v, k) => p with { OrmEpochs = Int(v, k) },
        ["rm_batch_size"] = (p, v, k) => p with { RewardModelBatchSize = Int(v, k) },
        ["rm_lr"] = (p, v, k) => p with { RewardModelLearningRate = Real(v, k) },
        ["rm_schedule"] = (p, v, k) => p with
        {
            RewardModelSchedule = LearningRateSchedule.ParseKind(v) ?? throw new ArgumentException($"--set {k}={v}: expected constant or cosine"),
        },
        ["rm_warmup_steps"] = (p, v, k) => p with { RewardModelWarmupSteps = Int(v, k) },
        ["ppo_steps"] = (p, v, k) => p with { PpoSteps = Int(v, k) },
        ["prompts_per_step"] = (p, v, k) => p with { PromptsPerStep = Int(v, k) },
        ["rollouts_per_prompt"] = (p, v, k) => p with { RolloutsPerPrompt = Int(v, k) },
        ["max_new_tokens"] = (p, v, k) => p with { MaxNewTokens = Int(v, k) },
        ["policy_lr"] = (p, v, k) => p with { PolicyLearningRate = Real(v, k) },
        ["critic_lr"] = (p, v, k) => p with { CriticLearningRate = Real(v, k) },
        ["warmup_steps"] = (p, v, k) => p with { WarmupSteps = Int(v, k) },
        ["kl_coef"] = (p, v, k) => p with { KlCoef = Real(v, k) },
        ["ppo_epochs"] = (p, v, k) => p with { PpoEpochs = Int(v, k) },
        ["mini_batch_size"] = (p, v, k) => p with { MiniBatchSize = Int(v, k) },
        ["estimator"] = (p, v, _) => p with { Estimator = v },
        ["checkpoint_every"] = (p, v, k) => p with { CheckpointEvery = Int(v, k) },
        ["parallel_runs"] = (p, v, k) => p with { ParallelRuns = Int(v, k) },
        ["base_seed"] = (p, v, k) => p with { BaseSeed = Int(v, k) },
        ["prm_alpha"] = (p, v, k) => p with { Rewards = p.Rewards with { PrmAlpha = Real(v, k) } },
        ["clip_eta"] = (p, v, k) => p with { Rewards = p.Rewards with { ClipEta = Real(v, k) } },
        ["orm_alpha"] = (p, v, k) => p with { Rewards = p.Rewards with { OrmAlpha = Real(v, k) } },
        ["task.min_ops"] = (p, v, k) => p with { Task = p.Task with { MinOperations = Int(v, k) } },
        ["task.max_ops"] = (p, v, k) => p with { Task = p.Task with { MaxOperations = Int(v, k) } },
        ["task.operand_max"] = (p, v, k) => p with { Task = p.Task with { OperandMax = Int(v, k) } },
        ["task.result_max"] = (p, v, k) => p with { Task = p.Task with { ResultMax = Int(v, k) } },
        ["task.multiplier_max"] = (p, v, k) => p with { Task = p.Task with { MultiplierMax = Int(v, k) } },
        ["task.unnecessary_share"] = (p, v, k) => p with { Task = p.Task with { UnnecessaryLineShare = Real(v, k) } },
        ["task.unnecessary_kinds"] = (p, v, k) => p with { Task = p.Task with { UnnecessaryKinds = Kinds(v, k) } },
    };

    /// <summary>The keys --set accepts, sorted.</summary>
    public static IReadOnlyList<string> Keys { get; } = [.. Setters.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The preset with one "key=value" applied; ArgumentException naming the key on a bad key or value.</summary>
    public static LabPreset Apply(LabPreset preset, string assignment)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(assignment);
        int eq = assignment.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) throw new ArgumentException($"--set \"{assignment}\": expected key=value, e.g. policy_lr=5e-5");
        string key = assignment[..eq].Trim(), value = assignment[(eq + 1)..].Trim();
        if (!Setters.TryGetValue(key, out var set))
            throw new ArgumentException($"--set {key}: unknown key; expected one of {string.Join(", ", Keys)}");
        return set(preset, value, key);
    }

    /// <summary>The preset with every assignment applied in order, then validated.</summary>
    public static LabPreset ApplyAll(LabPreset preset, IEnumerable<string> assignments)
    {
        ArgumentNullException.ThrowIfNull(assignments);
        foreach (var a in assignments) preset = Apply(preset, a);
        return preset.Validate();
    }
}
