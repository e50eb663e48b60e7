// PpoBenchmark: the `reasonrl bench ppo` measurement — one lab PPO step (8 lab prompts × 4 responses,
// GAE with a critic, success reward, 2 minibatches, the lab's "lab" shape and char:lab tokenizer) timed by
// phase (generation / scoring / experience forwards / update), and the update's tokens/s beside the
// engine's plain training tokens/s (forward + cross-entropy + backward + AdamW of one model) on the same
// shapes: minibatches of the same sequences, padded to their longest. The ratio counts every update token
// once although an update trains two models (policy and critic), so 0.5 is "as fast as plain training".
// The policy is randomly initialised, so responses run to MaxNewTokens (set near the lab's mean length).
// Two configurations are measured in one call, on the same shapes: "before" — one run on every core, old-policy
// log-probs from a separate forward (the lab before this benchmark existed) — and "after" — the lab's way now:
// ParallelRuns runs at once, one core each (LabThreads), log-probs reused from the sampler; the machine's
// throughput is lab PPO steps per second over all concurrent runs.
// What it is not: the printing (the CLI) or a trainer of its own (PpoTrainer does the work).
using ReasonRL.Core;
using ReasonRL.Data.Lab;
using ReasonRL.Models;
using ReasonRL.Rewards.Sources;
using ReasonRL.Runs;
using ReasonRL.Tensors;
using ReasonRL.Text;
using ReasonRL.Training;
using ReasonRL.Training.Ppo;
using System.Diagnostics;

namespace ReasonRL.Benchmarks;

/// <summary>Knobs of one PPO benchmark run (defaults = the lab's PPO step).</summary>
public sealed record PpoBenchmarkOptions
{
    public string Size { get; init; } = "lab";
    public int Prompts { get; init; } = 8;
    public int RolloutsPerPrompt { get; init; } = 4;
    /// <summary>Response tokens (a random policy rarely stops early): about the lab's mean response length.</summary>
    public int MaxNewTokens { get; init; } = 56;
    public int MiniBatchSize { get; init; } = 16;
    public int WarmupSteps { get; init; } = 3;
    public int Steps { get; init; } = 8;
    public int Seed { get; init; } = 1234;
    /// <summary>Runs trained at once (each on cores / Concurrent cores).</summary>
    public int Concurrent { get; init; } = 1;
    /// <summary>Reuse the sampler's log-probs as log π_old (rollout.reuse_logprobs).</summary>
    public bool ReuseLogProbs { get; init; }
    /// <summary>Minibatches and experience forwards of similar-length responses (algorithm.length_grouped).</summary>
    public bool LengthGrouped { get; init; }
}

/// <summary>Medians over the timed steps.</summary>
public sealed record PpoBenchmarkResult(
    string Size, long Parameters, int Responses, double MeanSequenceTokens,
    double GenerationMs, double ScoringMs, double ExperienceMs, double UpdateMs,
    double UpdateTokensPerSecond, double EngineTrainTokensPerSecond, int Workers, int Concurrent, double MachineStepsPerSecond)
{
    public double StepMs => GenerationMs + ScoringMs + ExperienceMs + UpdateMs;
    public double Ratio => UpdateTokensPerSecond / EngineTrainTokensPerSecond;
}

/// <summary>Runs the PPO benchmark.</summary>
public static class PpoBenchmark
{
    public static PpoBenchmarkResult Run(PpoBenchmarkOptions o, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(o);
        var runs = new RunTimes[o.Concurrent];
        var gate = new object();
        Runs.Lab.LabThreads.RunAll(Enumerable.Range(0, o.Concurrent).Select(i => (Action)(() => runs[i] = RunOne(o, o.Seed + i,
            msg => { lock (gate) progress?.Invoke(o.Concurrent > 1 ? $"run {i + 1}: {msg}" : msg); }))).ToList());
        double machineStepsPerSecond = o.Concurrent * o.Steps / runs.Max(r => r.TimedSeconds);
        int workers = Math.Max(1, Kernels.WorkerCount / o.Concurrent);
        var all = runs.SelectMany(r => r.Sequences).ToList();
        double meanLength = all.Average();
        using var model = new Transformer(ModelShapes.For(o.Size, TokenizerSpec.Resolve(TokenizerSpec.CharLab, null).VocabSize, null, [0], 320), GemmFactory.Create(GemmKind.Managed));
        model.InitializeRandom(o.Seed);
        int saved = Kernels.WorkerCount;
        double engine;
        try
        {
            Kernels.WorkerCount = workers;   // the same cores per run as the PPO update had
            engine = EngineTokensPerSecond(model, o.MiniBatchSize, all.Max(), (int)Math.Round(meanLength), o.Seed, progress);
        }
        finally
        {
            Kernels.WorkerCount = saved;
        }
        double M(Func<RunTimes, List<double>> f) => EngineBenchmark.Median(runs.SelectMany(f).ToList());
        return new PpoBenchmarkResult(o.Size, model.Layout.ParameterCount, o.Prompts * o.RolloutsPerPrompt, meanLength,
            M(r => r.Generation), M(r => r.Scoring), M(r => r.Experience), M(r => r.Update), M(r => r.UpdateTokensPerSecond), engine,
            workers, o.Concurrent, machineStepsPerSecond);
    }

    private sealed record RunTimes(List<double> Generation, List<double> Scoring, List<double> Experience, List<double> Update,
        List<double> UpdateTokensPerSecond, List<int> Sequences, double TimedSeconds);

    private static RunTimes RunOne(PpoBenchmarkOptions o, int seed, Action<string> progress)
    {
        var tokenizer = TokenizerSpec.Resolve(TokenizerSpec.CharLab, null);
        var cfg = ModelShapes.For(o.Size, tokenizer.VocabSize, tokenizer.BosId, tokenizer.EosIds, 320);
        using var policy = new Transformer(cfg, GemmFactory.Create(GemmKind.Managed));
        policy.InitializeRandom(seed);
        using var reference = Critic.CopyOf(policy);
        using var critic = Critic.FromPolicy(policy, seed);
        var problems = new LabTaskGenerator(LabTaskOptions.Default with { MaxOperations = 3, OperandMax = 9, ResultMax = 30, MultiplierMax = 2 })
            .Generate(LabSplit.Train, o.Prompts * (o.WarmupSteps + o.Steps));
        var rewards = TrainRun.BuildRewards(TrainRun.RewardConfigOf(TrainConfig.Default, "(bench ppo)"), MathVerifierJudge.Create());   // success only
        var options = new PpoOptions
        {
            RolloutsPerPrompt = o.RolloutsPerPrompt, MaxNewTokens = o.MaxNewTokens, MiniBatchSize = o.MiniBatchSize,
            PolicyLearningRate = 2e-5, CriticLearningRate = 1e-3, Gamma = 1, Lambda = 1, Seed = (ulong)seed, ReuseSamplingLogProbs = o.ReuseLogProbs,
            LengthGroupedBatches = o.LengthGrouped,
        };
        using var trainer = new PpoTrainer(options, policy, reference, critic, tokenizer, rewards);
        var t = new RunTimes([], [], [], [], [], [], 0);
        long timedStart = 0;
        for (int s = 0; s < o.WarmupSteps + o.Steps; s++)
        {
            if (s == o.WarmupSteps) timedStart = Stopwatch.GetTimestamp();
            var prompts = problems.Skip(s * o.Prompts).Take(o.Prompts)
                .Select(p => new PromptItem(p.Id, LabTask.Prompt(p.Question), p.Gold.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();
            var result = trainer.TrainStep(prompts);
            var m = result.Metrics;
            progress($"ppo step {s + 1}/{o.WarmupSteps + o.Steps}{(s < o.WarmupSteps ? " (warm-up)" : "")}: gen {m.GenerationTime.TotalMilliseconds:F0} ms · score {m.ScoringTime.TotalMilliseconds:F0} ms · experience {m.ExperienceTime.TotalMilliseconds:F0} ms · update {m.UpdateTime.TotalMilliseconds:F0} ms");
            if (s < o.WarmupSteps) continue;
            t.Generation.Add(m.GenerationTime.TotalMilliseconds); t.Scoring.Add(m.ScoringTime.TotalMilliseconds);
            t.Experience.Add(m.ExperienceTime.TotalMilliseconds); t.Update.Add(m.UpdateTime.TotalMilliseconds);
            t.UpdateTokensPerSecond.Add(m.UpdateTokens / m.UpdateTime.TotalSeconds);
            t.Sequences.AddRange(result.Rollouts.Select(r => r.PromptTokens.Length + r.ResponseTokens.Length));
        }
        return t with { TimedSeconds = Stopwatch.GetElapsedTime(timedStart).TotalSeconds };
    }

    /// <summary>Plain training tokens/s on [batch, t] sequences, counting the <paramref name="meanLength"/> real tokens
    /// per sequence that PPO counts (PPO pads its minibatches to their longest sequence too).</summary>
    private static double EngineTokensPerSecond(Transformer model, int batch, int t, int meanLength, int seed, Action<string>? progress)
    {
        var rng = new Rng((ulong)seed + 1);
        int n = batch * t;
        var tokens = new int[n];
        var targets = new int[n];
        using var opt = new AdamWOptimizer(model.Layout.Slab, new AdamWOptions { LearningRate = 1e-5f });
        var times = new List<double>();
        for (int i = 0; i < 13; i++)
        {
            for (int j = 0; j < n; j++) { tokens[j] = rng.NextInt(model.Config.VocabSize); targets[j] = rng.NextInt(model.Config.VocabSize); }
            long t0 = Stopwatch.GetTimestamp();
            model.ZeroGradients();
            model.ForwardLoss(tokens, targets, batch, t);
            model.BackwardLoss(targets);
            opt.Update(model.Parameters, model.Gradients!);
            double ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            if (i >= 3) times.Add(ms);
            progress?.Invoke($"engine train step {i + 1}/13 (B {batch} × T {t}): {ms:F0} ms");
        }
        return batch * meanLength / (EngineBenchmark.Median(times) / 1000.0);
    }
}
