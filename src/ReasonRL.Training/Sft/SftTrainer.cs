// SftTrainer: supervised fine-tuning of a Transformer on (prompt, response) token pairs, loss on
// response tokens only. One Step = one AdamW update over a batch split into GradientAccumulation
// micro-batches: ZeroGrad once, forward + backward each micro-batch with the upstream gradient
// −1/N_batch on every response log-prob (N_batch = response tokens of the WHOLE batch), so the
// accumulated gradient equals the full batch's mean-loss gradient exactly (up to float summation
// order). Then a NaN/Inf guard (skip the update and count it), the warmup + cosine learning rate
// (Ppo.LearningRateSchedule),
// global-norm clipping and AdamW. Train adds a seeded Fisher–Yates shuffle per epoch.
// Loss = −(1/N) Σ_{b,t: target ≥ 0} log p(target_{b,t} | ids_{b,≤t}).
// What it is not: tokenization / data loading (Runs/SftRun.cs), checkpoint files (SftTrainer exposes
// its state; Runs/ writes it), or the model (not owned: the caller disposes it).
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Training.Ppo;

namespace ReasonRL.Training.Sft;

/// <summary>Response-only supervised fine-tuning (see file header).</summary>
public sealed class SftTrainer : IDisposable
{
    private readonly Transformer _model;
    private readonly AdamWOptimizer _optimizer;
    private readonly NanGuard _guard;
    private long _step;

    /// <summary>Creates the trainer and its AdamW state (the model is not owned).</summary>
    public SftTrainer(Transformer model, SftOptions options)
    {
        _model = model;
        Options = options.Validate();
        _optimizer = new AdamWOptimizer(model.Layout.Slab, AdamOptions(options.LearningRate));
        _guard = new NanGuard(options.MaxConsecutiveNonFinite);
        model.EnsureGradients();
    }

    /// <summary>The options (validated).</summary>
    public SftOptions Options { get; }

    /// <summary>Updates taken so far, skipped ones included (the schedule's step index).</summary>
    public long StepCount => _step;

    /// <summary>The optimizer (its moments are checkpoint state).</summary>
    public AdamWOptimizer Optimizer => _optimizer;

    /// <summary>Skipped (non-finite) updates so far.</summary>
    public int SkippedSteps => _guard.TotalSkipped;

    /// <summary>Set when <see cref="Train"/> stopped early after MaxConsecutiveNonFinite bad updates in a row.</summary>
    public string? StopReason { get; private set; }

    /// <summary>Updates the cosine spans when Options.TotalSteps is 0 (Train sets it from the data size).</summary>
    public int ScheduleTotalSteps { get; set; }

    private AdamWOptions AdamOptions(double lr) => new()
    {
        LearningRate = (float)lr, Beta1 = (float)Options.Beta1, Beta2 = (float)Options.Beta2, WeightDecay = (float)Options.WeightDecay,
    };

    /// <summary>Learning rate of the next update.</summary>
    public double CurrentLearningRate
    {
        get
        {
            int total = Options.TotalSteps > 0 ? Options.TotalSteps : ScheduleTotalSteps;
            return LearningRateSchedule.At(_step, Options.LearningRate, total > 0 ? LearningRateScheduleKind.Cosine : LearningRateScheduleKind.Constant,
                Options.WarmupSteps, total, Options.MinLearningRateRatio);
        }
    }

    /// <summary>Restores the step counter and guard counters on resume (moments are restored through <see cref="Optimizer"/>).</summary>
    public void RestoreCounters(long step, int consecutiveNonFinite, int totalSkipped)
    {
        _step = step;
        _guard.Restore(consecutiveNonFinite, totalSkipped);
    }

    /// <summary>Consecutive non-finite updates so far (checkpoint state).</summary>
    public int ConsecutiveNonFinite => _guard.Consecutive;

    /// <summary>One optimizer update over <paramref name="batch"/> (right-padded; targets −1 on prompt and padding).</summary>
    public SftStepResult Step(IReadOnlyList<SftExample> batch)
    {
        if (batch.Count == 0) throw new ArgumentException("SFT step: empty batch");
        int parts = Math.Min(Options.GradientAccumulation, batch.Count);
        var micro = new SftBatch[parts];
        int total = 0;
        for (int k = 0, start = 0; k < parts; k++)
        {
            int size = batch.Count / parts + (k < batch.Count % parts ? 1 : 0);
            micro[k] = SftBatch.From(Slice(batch, start, size), _model.Config.MaxPositionEmbeddings);
            total += micro[k].TargetCount;
            start += size;
        }
        double lr = CurrentLearningRate;
        _step++;
        _model.ZeroGradients();
        double lossSum = 0;
        foreach (var mb in micro)
        {
            if (mb.TargetCount == 0) continue;
            float mean = _model.ForwardLoss(mb.Inputs, mb.Targets, mb.Batch, mb.Tokens);
            lossSum += (double)mean * mb.TargetCount;
            var dLogProbs = new float[mb.Inputs.Length];   // [B·T]: ∂loss/∂logp = −1/N_batch on response tokens
            for (int i = 0; i < dLogProbs.Length; i++) if (mb.Targets[i] >= 0) dLogProbs[i] = -1f / total;
            _model.BackwardLogProbs(mb.Targets, dLogProbs, default);
        }
        double loss = total == 0 ? 0 : lossSum / total;
        double norm = GradientNorm(_model.Gradients!);
        double checkedValue = double.IsFinite(norm) ? loss : norm;
        if (_guard.Check(_step, checkedValue) != NanGuardAction.Apply)
            return new SftStepResult(_step, loss, norm, lr, total, Skipped: true);
        _optimizer.Options = AdamOptions(lr);
        _optimizer.Update(_model.Parameters, _model.Gradients!, Options.MaxGradNorm);
        return new SftStepResult(_step, loss, norm, lr, total, Skipped: false);
    }

    /// <summary>True when the guard has seen MaxConsecutiveNonFinite bad updates in a row.</summary>
    public bool ShouldStop => _guard.Consecutive >= _guard.MaxConsecutive;

    /// <summary>
    /// Epochs over <paramref name="data"/> in a seeded shuffled order (Xoshiro256** from Options.Seed, one
    /// Fisher–Yates permutation per epoch), batches of BatchSize (the last may be smaller). Stops early, with
    /// <see cref="StopReason"/> set, after MaxConsecutiveNonFinite skipped updates in a row.
    /// </summary>
    public IReadOnlyList<SftStepResult> Train(IReadOnlyList<SftExample> data, Action<SftStepResult>? onStep = null, CancellationToken ct = default)
    {
        var plan = SftSchedule.Plan(data.Count, Options);
        if (Options.TotalSteps == 0) ScheduleTotalSteps = plan.Count;
        var results = new List<SftStepResult>(plan.Count);
        for (long s = _step; s < plan.Count; s++)
        {
            ct.ThrowIfCancellationRequested();
            var batch = plan[(int)s].Select(i => data[i]).ToList();
            var r = Step(batch);
            results.Add(r);
            onStep?.Invoke(r);
            if (ShouldStop)
            {
                StopReason = $"stopped after {_guard.Consecutive} non-finite updates in a row (last: {_guard.LastReason}); the weights are those before the first of them";
                break;
            }
        }
        return results;
    }

    /// <summary>Mean response-token cross-entropy over <paramref name="data"/> (no gradient, no update).</summary>
    public double Evaluate(IReadOnlyList<SftExample> data)
    {
        double sum = 0;
        long count = 0;
        for (int start = 0; start < data.Count; start += Options.BatchSize)
        {
            var mb = SftBatch.From(Slice(data, start, Math.Min(Options.BatchSize, data.Count - start)), _model.Config.MaxPositionEmbeddings);
            if (mb.TargetCount == 0) continue;
            sum += (double)_model.ForwardLoss(mb.Inputs, mb.Targets, mb.Batch, mb.Tokens) * mb.TargetCount;
            count += mb.TargetCount;
        }
        return count == 0 ? 0 : sum / count;
    }

    private static List<SftExample> Slice(IReadOnlyList<SftExample> list, int start, int count)
    {
        var r = new List<SftExample>(count);
        for (int i = 0; i < count; i++) r.Add(list[start + i]);
        return r;
    }

    private static double GradientNorm(NativeSlab gradients)
    {
        double ss = 0;
        gradients.ForEachChunk(chunk => ss += Kernels.SumOfSquares(chunk));
        return Math.Sqrt(ss);
    }

    /// <inheritdoc/>
    public void Dispose() => _optimizer.Dispose();
}
