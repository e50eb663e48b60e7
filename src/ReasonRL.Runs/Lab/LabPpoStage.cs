// LabPpoStage: one PPO run of the lab — one reward design, one seed — and its greedy held-out
// evaluation. The policy, the frozen reference and the critic (GAE) all start from the SFT policy;
// each step draws preset.PromptsPerStep training problems from a stream seeded by the seed alone, so
// every design sees the same prompts for the same seed. Per step it writes the trainer's metrics plus
// the lab's own labels of the rollouts (unnecessary / incorrect step rate, accuracy) and the
// HackingMonitor's trend warning to runs/<design>/seed-<n>/metrics.jsonl; at the end it saves the
// policy (policy/), the evaluation (eval.json) and the outcome (result.json, written last: the run's
// completion marker). An interrupted run restarts from its beginning on resume.
// Not the trainer (PpoTrainer) and not the reward arithmetic (RewardPipeline, StepShaping).
using System.Diagnostics;
using System.Globalization;
using ReasonRL.Core;
using ReasonRL.Data.Lab;
using ReasonRL.Models;
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using ReasonRL.Training.Ppo;
using ReasonRL.Training;

namespace ReasonRL.Runs.Lab;

/// <summary>The trained reward models the PPO runs score with (read-only, shared by all runs).</summary>
/// <param name="Prm">The PRM, or null when no design needs it.</param>
/// <param name="Orm">The ORM, or null when no design needs it.</param>
public sealed record LabRewardModels(RewardModel? Prm, RewardModel? Orm);

/// <summary>One PPO run per call.</summary>
public static class LabPpoStage
{
    /// <summary>Steps at the start and at the end of training averaged for the first / last learned return and KL.</summary>
    public static int WindowOf(int steps) => Math.Clamp(steps / 4, 1, 5);

    /// <summary>Metric key of the lab's learned return per response: shaped PRM terms + α_orm·ORM (the
    /// trainer's reward/learned counts the step terms only, so an ORM run would read 0 there).</summary>
    public const string LearnedReturnMetric = "lab/learned_return";

    /// <summary>The run's result file, relative to its run directory; it marks the run complete.</summary>
    public const string ResultFile = "result.json", EvalFile = "eval.json";

    /// <summary>Runs (or, when complete, reads back) design <paramref name="design"/> with <paramref name="seed"/>.
    /// <paramref name="progress"/> receives each finished step (1-based) and a short status.</summary>
    public static LabRunResult Run(LabContext ctx, LabDesign design, int seed, LabRewardModels models, Action<int, string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(models);
        string dir = ctx.Folder.RunDirectory(design, seed);
        string resultPath = Path.Combine(dir, ResultFile);
        if (File.Exists(resultPath)) return LabRunFolder.ReadJson(resultPath, LabJsonContext.Default.LabRunResult);

        var clock = Stopwatch.StartNew();
        var preset = ctx.Preset;
        string sftDir = ctx.Folder.PathOf(LabSftStage.PolicyPath);
        using var policy = LabModels.Load(sftDir);
        using var reference = LabModels.Load(sftDir);
        using var critic = Critic.FromPolicy(policy, headSeed: seed);
        var pipeline = Pipeline(design, preset.Rewards, models, ctx);
        var options = Options(preset, seed);
        var monitor = new HackingMonitor(windowSize: Math.Max(3, Math.Min(10, preset.PpoSteps / 2)));
        var stream = new Rng((ulong)seed * 0x9E3779B97F4A7C15UL + 17);
        var history = new List<(PpoStepMetrics Trainer, double Learned)>(preset.PpoSteps);
        int warnings = 0;

        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);   // a partial earlier attempt
        using (var trainer = new PpoTrainer(options, policy, reference, critic, ctx.Tokenizer, pipeline))
        using (var metrics = MetricsWriter.Open(dir, cursor: 0, tensorboard: false))
        {
            for (int step = 1; step <= preset.PpoSteps; step++)
            {
                ctx.Cancellation.ThrowIfCancellationRequested();
                var prompts = Enumerable.Range(0, preset.PromptsPerStep)
                    .Select(_ => ctx.TrainProblems[stream.NextInt(ctx.TrainProblems.Count)])
                    .Select(p => new PromptItem(p.Id, LabTask.Prompt(p.Question), p.Gold.ToString(CultureInfo.InvariantCulture)))
                    .ToList();
                var result = trainer.TrainStep(prompts, ctx.Cancellation);
                var m = result.Metrics;
                var (learned, rawPrm) = LearnedReturns(result.Rollouts);
                history.Add((m, learned));
                var report = monitor.Add(learned, m.SuccessMean);
                if (report.Warning) warnings++;
                var labels = LabelRollouts(ctx, result.Rollouts);
                var row = m.ToMetrics().ToList();
                row.Add(new(LearnedReturnMetric, learned));
                row.Add(new("lab/raw_prm_sum", rawPrm));
                row.Add(new("lab/accuracy", labels.Accuracy));
                row.Add(new("lab/unnecessary_step_rate", labels.UnnecessaryStepRate));
                row.Add(new("lab/incorrect_step_rate", labels.IncorrectStepRate));
                row.Add(new(MetricNames.HackingWarning, report.Warning ? 1 : 0));
                metrics.Write(step, row);
                progress?.Invoke(step, string.Create(CultureInfo.InvariantCulture,
                    $"success {m.SuccessMean:F2} · learned {learned:F2} · steps {m.StepsPerResponse:F1} · KL {m.Kl:F3}"));
            }
        }

        var eval = LabEvaluation.Evaluate(policy, ctx.Tokenizer, ctx.TestProblems, preset.MaxNewTokens, ct: ctx.Cancellation);
        LabModels.Save(policy, Path.Combine(dir, "policy"));
        LabRunFolder.WriteJsonAtomic(Path.Combine(dir, EvalFile), eval, LabJsonContext.Default.LabEvalResult);
        int w = WindowOf(history.Count);
        var outcome = new LabRunResult(LabDesigns.NameOf(design), seed, history.Count, eval.Summary,
            LearnedReturn: history.TakeLast(w).Average(h => h.Learned),
            Kl: history.TakeLast(w).Average(h => h.Trainer.Kl),
            Success: history.TakeLast(w).Average(h => h.Trainer.SuccessMean),
            FirstLearnedReturn: history.Take(w).Average(h => h.Learned),
            Seconds: clock.Elapsed.TotalSeconds,
            HackingWarnings: warnings);
        LabRunFolder.WriteJsonAtomic(resultPath, outcome, LabJsonContext.Default.LabRunResult);
        return outcome;
    }

    /// <summary>The PPO options of a lab run: GAE with a critic, KL in the reward, the preset's sizes and rates.</summary>
    public static PpoOptions Options(LabPreset preset, int seed)
    {
        ArgumentNullException.ThrowIfNull(preset);
        return new PpoOptions
        {
            RolloutsPerPrompt = preset.RolloutsPerPrompt,
            Temperature = 1f,
            MaxNewTokens = preset.MaxNewTokens,
            PpoEpochs = preset.PpoEpochs,
            MiniBatchSize = preset.MiniBatchSize,
            PolicyLearningRate = preset.PolicyLearningRate,
            CriticLearningRate = preset.CriticLearningRate,
            Estimator = AdvantageEstimator.Gae,
            // γ = λ = 1: Monte-Carlo returns with the critic as a baseline only (ReaLHF's defaults,
            // reward-methods.md §2.6); with λ < 1 a fresh critic's errors bias every advantage and the
            // sparse success reward alone drifted the policy in our runs.
            Gamma = 1.0,
            Lambda = 1.0,
            KlPlacement = KlPlacement.InReward,
            KlCoef = preset.KlCoef,
            Seed = (ulong)seed,
        };
    }

    /// <summary>The reward pipeline of a design: success by the math verifier (1 / 0 / 0), steps split
    /// one per line, plus the PRM or ORM source the design needs.</summary>
    public static RewardPipeline Pipeline(LabDesign design, LabRewardSettings rewards, LabRewardModels models, LabContext ctx)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(ctx);
        var rewardDesign = LabDesigns.ToRewardDesign(design, rewards);
        IRewardSource? prm = null, orm = null;
        if (LabDesigns.UsesPrm(design))
        {
            prm = new PrmRewardSource(models.Prm ?? throw new InvalidOperationException($"lab design {LabDesigns.NameOf(design)} needs the PRM, which was not loaded"), ctx.Tokenizer);
        }
        if (LabDesigns.UsesOrm(design))
        {
            orm = new OrmRewardSource(models.Orm ?? throw new InvalidOperationException($"lab design {LabDesigns.NameOf(design)} needs the ORM, which was not loaded"), ctx.Tokenizer);
        }
        // The labeller's verifier budget (250 ms): the default 10 ms can trip on a busy machine and call a right answer Unverifiable.
        var success = new SuccessSource(MathVerifierJudge.Create(StepLabellerOptions.Default.Verify), SuccessValues.ZeroOne);
        return new RewardPipeline(rewardDesign, new StepSplitter(StepSplitOptions.Lines), success, prm, orm);
    }

    /// <summary>Mean learned return (step terms + ORM term) and mean raw PRM score sum Σ_k s_k per scored
    /// response; the raw sum shows how much PRM score a policy collects whatever the shaping.</summary>
    public static (double Learned, double RawPrmSum) LearnedReturns(IReadOnlyList<RolloutRecord> rollouts)
    {
        ArgumentNullException.ThrowIfNull(rollouts);
        double learned = 0, raw = 0;
        int n = 0;
        foreach (var r in rollouts)
        {
            if (r.Reward is not { } reward) continue;
            var d = reward.Diagnostics;
            learned += d.LearnedReturn + d.OrmTerm;
            raw += d.RawStepScores?.Sum() ?? 0;
            n++;
        }
        return n == 0 ? (double.NaN, double.NaN) : (learned / n, raw / n);
    }

    private static LabelSummary LabelRollouts(LabContext ctx, IReadOnlyList<RolloutRecord> rollouts) =>
        LabelSummary.Of(rollouts.Select(r => StepLabeller.Label(ctx.Problem(r.PromptId, "ppo rollouts"), r.Response)));
}
