// TrainRun: one `reasonrl train` run end to end — load the policy (HF dir; the reference is a frozen
// copy, the critic a copy with a fresh value head), the prompts JSONL (configurable question/answer
// fields, prompt template), the reward pipeline (the `reward:` section in reward.yaml grammar, success
// judged by MathVerifier, PRM/ORM from model.prm / model.orm directories when the design uses them), then PpoTrainer steps over a seeded prompt schedule with: metrics every
// step (metrics.jsonl + tfevents), the hacking monitor (learned return up while success down), greedy
// held-out accuracy every N steps, atomic checkpoints every N steps (policy, critic, the three AdamW
// states, RNG, step, KL β, guard counters, hacking window, metrics cursor) and the final policy saved
// as an HF directory <output_dir>/policy. Resume restores all of it and continues exactly.
// After K non-finite updates in a row the trainer throws; the run then checkpoints its (untouched)
// state and stops with a reason.
// What it is not: the PPO algorithm (Ppo/PpoTrainer) or the CLI (Cli/Commands/TrainCommand.cs).
using ReasonRL.Data.Lab;
using ReasonRL.Models;
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Offline;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using ReasonRL.Tensors;
using ReasonRL.Text;
using ReasonRL.Training;
using ReasonRL.Training.Ppo;

namespace ReasonRL.Runs;

/// <summary>Progress after one PPO step.</summary>
public sealed record TrainRunProgress(PpoStepMetrics Metrics, long TotalSteps, double? EvalAccuracy, HackingReport Hacking, TimeSpan Elapsed);

/// <summary>Outcome of a train run.</summary>
public sealed record TrainRunReport(string PolicyDirectory, long StepsDone, long TotalSteps, long ResumedFromStep,
    double? InitialEvalAccuracy, double? FinalEvalAccuracy, string? StopReason, int HackingWarnings);

/// <summary>Runs PPO from a resolved config (see file header).</summary>
public static class TrainRun
{
    /// <summary>Maps the config onto the trainer's options.</summary>
    public static PpoOptions ToPpoOptions(TrainConfig c)
    {
        var a = c.Algorithm;
        var d = c.Data ?? new DataSection();
        var r = c.Rollout ?? new RolloutSection();
        int responses = d.PromptsPerStep * a.GroupSize;
        return new PpoOptions
        {
            RolloutsPerPrompt = a.GroupSize, Temperature = (float)r.Temperature, MaxNewTokens = r.MaxNewTokens,
            PpoEpochs = a.PpoEpochs, MiniBatchSize = Math.Max(1, (responses + a.MiniBatches - 1) / a.MiniBatches),
            LengthGroupedBatches = a.LengthGrouped, GradientAccumulation = r.GradientAccumulation, ReuseSamplingLogProbs = r.ReuseLogProbs,
            PolicyLearningRate = c.Optim.LearningRate, CriticLearningRate = c.Optim.CriticLearningRate, WeightDecay = c.Optim.WeightDecay,
            MaxGradNorm = c.Optim.GradClip ?? 0, Schedule = c.Optim.Schedule, WarmupSteps = c.Optim.WarmupSteps,
            TotalSteps = c.Run.TotalSteps, MinLearningRateRatio = c.Optim.MinLearningRateRatio,
            PolicyLoss = new PolicyLossOptions(a.ClipLow, a.ClipHigh, a.DualClip, a.Aggregation),
            ValueClip = a.ValueClip ?? 0, EntropyCoef = a.EntropyCoef, Aggregation = a.Aggregation,
            Estimator = a.Advantage, Gamma = a.Gamma, Lambda = a.Lambda, WhitenAdvantages = a.WhitenAdvantages,
            KlEstimator = c.Kl.Estimator, KlPlacement = c.Kl.Placement, KlCoef = c.Kl.Coefficient, AdaptiveKl = c.Kl.Adaptive,
            KlTarget = c.Kl.Target, KlHorizon = c.Kl.Horizon,
            MaxConsecutiveNonFinite = c.Guard.MaxConsecutiveNonFinite, Seed = c.Run.Seed,
        };
    }

    /// <summary>The reward config of the `reward:` section (success only when absent).</summary>
    public static RewardConfig RewardConfigOf(TrainConfig c, string file) =>
        c.RewardYaml is { } yaml ? RewardConfigLoader.Parse(yaml, file) : RewardConfigLoader.Parse("success: { correct: 1.0 }", "(default reward)");

    /// <summary>The judge of a run that is given none: MathVerifier under the reward section's `verifier:` options
    /// (reward.verifier.number_words, …; VerifyOptions.Default without one), for the success reward and the held-out eval alike.</summary>
    public static SuccessJudge DefaultJudge(RewardConfig reward) => MathVerifierJudge.Create(reward.Verify);

    /// <summary>Builds the pipeline; the success reward is judged by <paramref name="judge"/>. A design with step shaping needs
    /// <paramref name="prm"/>, one with orm.alpha ≠ 0 needs <paramref name="orm"/> (model-backed sources).</summary>
    public static RewardPipeline BuildRewards(RewardConfig reward, SuccessJudge judge, IRewardSource? prm = null, IRewardSource? orm = null)
    {
        if (reward.Design.UsesStepScores && prm is null)
            throw new NotSupportedException("reward: the shaping section needs a PRM; set model.prm to a PRM directory (reasonrl train-rm --kind prm) or remove the shaping section");
        if (reward.Design.UsesOrm && orm is null)
            throw new NotSupportedException("reward: orm.alpha ≠ 0 needs an ORM; set model.orm to an ORM directory (reasonrl train-rm --kind orm) or set orm.alpha: 0");
        return new RewardPipeline(reward.Design, new StepSplitter(reward.Steps), new SuccessSource(judge, reward.Design.Success),
            reward.Design.UsesStepScores ? prm : null, reward.Design.UsesOrm ? orm : null);
    }

    /// <summary>The prompt text for a question under data.template ("lab" = LabTask.Prompt).</summary>
    public static string PromptText(string template, string question) =>
        template == "lab" ? LabTask.Prompt(question) : template.Replace("{question}", question, StringComparison.Ordinal);

    /// <summary>Reads prompts: id (field "id" when present, else the line number), prompt text, gold answer.</summary>
    public static IReadOnlyList<PromptItem> LoadPrompts(string path, DataSection d, int limit = 0)
    {
        var rows = FieldRows.Read(path, [d.QuestionField], [d.AnswerField, "id"]);
        var items = rows.Select(r => new PromptItem(r.Values[2] ?? $"line-{r.Line}", PromptText(d.Template, r.Values[0]!), r.Values[1])).ToList();
        return limit > 0 ? items.Take(limit).ToList() : items;
    }

    /// <summary>Greedy accuracy: the share of prompts whose greedy response the judge calls Correct.</summary>
    public static double Accuracy(Transformer policy, ITokenizer tokenizer, IReadOnlyList<PromptItem> items, EvalSection e, SuccessJudge judge)
    {
        var answers = GreedyEvaluator.Generate(policy, tokenizer, items.Select(i => i.Prompt).ToList(), e.MaxNewTokens, e.BatchSize);
        int correct = 0;
        for (int i = 0; i < items.Count; i++)
            if (items[i].Gold is { } gold && judge(answers[i], gold).Verdict == SuccessVerdict.Correct) correct++;
        return items.Count == 0 ? double.NaN : correct / (double)items.Count;
    }

    /// <summary>Runs (or, with <paramref name="resume"/>, continues) the run; <paramref name="judge"/> null = <see cref="DefaultJudge"/>;
    /// <paramref name="runDirectory"/> overrides run.output_dir (resume); <paramref name="poison"/> (tests only) may corrupt the critic to exercise the non-finite guard;
    /// <paramref name="rolloutMetrics"/> adds the caller's own per-step metrics computed from the step's rollout records (the lab's step labels).
    /// Relative data/model paths are relative to the working directory.</summary>
    public static TrainRunReport Run(ResolvedTrainConfig resolved, string configFile, IGemm gemm, bool resume, Action<string>? log = null,
        Action<TrainRunProgress>? progress = null, CancellationToken ct = default, SuccessJudge? judge = null, Action<string>? afterCheckpointFile = null, string? runDirectory = null,
        Action<Critic?>? poison = null, Func<IReadOnlyList<RolloutRecord>, IEnumerable<KeyValuePair<string, double>>>? rolloutMetrics = null)
    {
        var c = resolved.Config;
        var model = c.Model ?? new ModelSection();
        var data = c.Data ?? new DataSection();
        var eval = c.Eval ?? new EvalSection();
        if (model.Policy is null) throw new TrainConfigException(configFile, 0, "model.policy", "is missing; expected a Hugging Face model directory (e.g. the output of reasonrl sft: runs/sft/model)");
        if (data.Prompts is null) throw new TrainConfigException(configFile, 0, "data.prompts", "is missing; expected a JSONL file of questions and gold answers");
        // PpoTrainer's AdamW uses the AdamWOptions betas; a different value in the config would be silently ignored.
        var adam = new Tensors.AdamWOptions();   // float betas: compare at float precision
        foreach (var (key, value, fixedValue) in new[] { ("optim.beta1", c.Optim.Beta1, adam.Beta1), ("optim.beta2", c.Optim.Beta2, adam.Beta2) })
            if ((float)value != fixedValue)
                throw new TrainConfigException(configFile, 0, key, $"is {value}; expected {fixedValue} (the PPO trainer's AdamW betas are not configurable yet)");
        var rewardConfig = RewardConfigOf(c, configFile);
        judge ??= DefaultJudge(rewardConfig);
        var options = ToPpoOptions(c);
        var tokenizer = TokenizerSpec.Resolve(model.Tokenizer, model.Policy);
        using var prm = rewardConfig.Design.UsesStepScores && model.Prm is { } prmDir
            ? LoadedRewardModel.Open(prmDir, new PrmScoringOptions { Convention = LoadedRewardModel.ParseConvention(model.PrmConvention) }, tokenizer, RewardModelKind.Prm, gemm)
            : null;
        using var orm = rewardConfig.Design.UsesOrm && model.Orm is { } ormDir ? LoadedRewardModel.Open(ormDir, null, tokenizer, RewardModelKind.Orm, gemm) : null;
        var rewards = BuildRewards(rewardConfig, judge, prm?.Source, orm?.Source);

        var folder = RunFolder.Open(runDirectory ?? c.Run.OutputDir, c.Run.KeepCheckpoints, "train", resolved.Yaml, resolved.Hash, resume);
        var (dir, store, latest) = (folder.Directory, folder.Store, folder.Latest);

        var prompts = LoadPrompts(data.Prompts, data);
        var held = eval.Data is { } ed && eval.Every >= 0 ? LoadPrompts(ed, data, eval.Limit) : null;
        using var policy = ModelStore.Load(model.Policy, gemm);
        using var reference = Critic.CopyOf(policy);
        using var critic = options.Estimator == AdvantageEstimator.Gae ? Critic.FromPolicy(policy, model.CriticHeadSeed) : null;
        using var trainer = new PpoTrainer(options, policy, reference, critic, tokenizer, rewards);
        poison?.Invoke(critic);
        var hacking = new HackingMonitor(c.Guard.HackingWindow, c.Guard.HackingSlopeThreshold);
        log?.Invoke($"policy {model.Policy}: {policy.Layout.ParameterCount:N0} parameters; {prompts.Count} prompts, {data.PromptsPerStep} × {options.RolloutsPerPrompt} responses per step" +
            (held is null ? "" : $"; {held.Count} held-out prompts") + $"; estimator {AdvantageEstimators.NameOf(options.Estimator)}");

        long cursor = 0, resumedFrom = 0;
        if (latest is not null)
        {
            Restore(latest, policy, critic, trainer, hacking);
            cursor = latest.State.MetricsCursor;
            resumedFrom = latest.State.Step;
            log?.Invoke($"resumed from {latest.Directory} (step {resumedFrom}/{c.Run.TotalSteps})");
        }
        using var metrics = MetricsWriter.Open(dir, cursor, c.Run.TensorBoard);
        var schedule = new PromptSchedule(prompts.Count, data.PromptsPerStep, c.Run.Seed);
        double? initialEval = null, lastEval = null;
        if (held is not null && resumedFrom == 0)
        {
            initialEval = lastEval = Accuracy(policy, tokenizer, held, eval, judge);
            log?.Invoke($"held-out greedy accuracy before training: {initialEval:P1}");
        }

        void Checkpoint()
        {
            var s = trainer.CaptureState();
            metrics.Sync();   // the cursor stored below must not point past what a power cut keeps
            store.Save(new CheckpointState(s.Step, s.RngState, resolved.Hash, metrics.Cursor, s.KlCoefficient, s.NanConsecutive, s.NanTotalSkipped),
                Parts(s, policy, critic, hacking), afterCheckpointFile);
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        string? stop = null;
        int warnings = 0;
        while (trainer.Step < c.Run.TotalSteps)
        {
            ct.ThrowIfCancellationRequested();
            var batch = schedule.At(trainer.Step).Select(i => prompts[i]).ToList();
            PpoStepResult result;
            try { result = trainer.TrainStep(batch, ct); }
            catch (NonFiniteTrainingException e)
            {
                stop = e.Message;
                Checkpoint();
                break;
            }
            var m = result.Metrics;
            var report = hacking.Add(m.LearnedReturnMean, m.SuccessMean);
            if (report.Warning) warnings++;
            double? evalNow = null;
            bool end = trainer.Step == c.Run.TotalSteps;
            if (held is not null && (end || (eval.Every > 0 && trainer.Step % eval.Every == 0)))
                lastEval = evalNow = Accuracy(policy, tokenizer, held, eval, judge);
            var values = new List<KeyValuePair<string, double>>(m.ToMetrics()) { new(MetricNames.HackingWarning, report.Warning ? 1 : 0) };
            if (evalNow is { } acc) values.Add(new("eval/accuracy", acc));
            if (rolloutMetrics is not null) values.AddRange(rolloutMetrics(result.Rollouts));
            metrics.Write(trainer.Step, values);
            if (end || trainer.Step % c.Run.CheckpointEvery == 0) Checkpoint();
            progress?.Invoke(new TrainRunProgress(m, c.Run.TotalSteps, evalNow, report, clock.Elapsed));
        }

        string policyDir = Path.Combine(dir, "policy");
        ModelStore.Save(policy, policyDir, model.Tokenizer, model.Policy);
        return new TrainRunReport(policyDir, trainer.Step, c.Run.TotalSteps, resumedFrom, initialEval, lastEval, stop, warnings);
    }

    private static List<CheckpointPart> Parts(PpoTrainerState s, Transformer policy, Critic? critic, HackingMonitor hacking)
    {
        // The window is stored bit-exact (IEEE doubles as I64 bit patterns) so a resumed monitor reports identically.
        var window = hacking.Window.SelectMany(p => new[] { BitConverter.DoubleToInt64Bits(p.Learned), BitConverter.DoubleToInt64Bits(p.Success) }).ToArray();
        var parts = new List<CheckpointPart>
        {
            new("policy", ModelStore.Tensors(policy)),
            CheckpointParts.Optimizer("optimizer_policy", s.PolicyOptimizer),
            new("hacking", [SafeTensorsTensor.FromIntegers("window", [window.Length / 2, 2], window)]),
        };
        if (critic is not null)
        {
            var head = critic.Head.Layout.Entries.Select(e => SafeTensorsTensor.FromFloats(e.Name, e.Shape, critic.Head.Parameters.View(e).ToArray()));
            parts.Add(new("critic", [.. ModelStore.Tensors(critic.Backbone), .. head]));
            parts.Add(CheckpointParts.Optimizer("optimizer_critic", s.CriticOptimizer!));
            parts.Add(CheckpointParts.Optimizer("optimizer_critic_head", s.CriticHeadOptimizer!));
        }
        return parts;
    }

    private static void Restore(Checkpoint ck, Transformer policy, Critic? critic, PpoTrainer trainer, HackingMonitor hacking)
    {
        ModelStore.LoadTensors(policy, ck.Parts["policy"].Tensors.ToDictionary(t => t.Name, t => t.Floats));
        AdamWOptimizerState? criticOpt = null, headOpt = null;
        if (critic is not null)
        {
            var byName = ck.Parts["critic"].Tensors.ToDictionary(t => t.Name, t => t.Floats);
            ModelStore.LoadTensors(critic.Backbone, byName);
            foreach (var e in critic.Head.Layout.Entries) byName[e.Name].CopyTo(critic.Head.Parameters.View(e));
            criticOpt = CheckpointParts.ReadOptimizer(ck.Parts["optimizer_critic"]);
            headOpt = CheckpointParts.ReadOptimizer(ck.Parts["optimizer_critic_head"]);
        }
        var s = ck.State;
        trainer.RestoreState(new PpoTrainerState(s.Step, s.RngState, s.KlCoefficient, s.NanConsecutive, s.NanTotalSkipped,
            CheckpointParts.ReadOptimizer(ck.Parts["optimizer_policy"]), criticOpt, headOpt));
        var w = ck.Parts["hacking"]["window"].Integers;
        hacking.Restore(Enumerable.Range(0, w.Length / 2).Select(i => (BitConverter.Int64BitsToDouble(w[2 * i]), BitConverter.Int64BitsToDouble(w[2 * i + 1]))));
    }
}
