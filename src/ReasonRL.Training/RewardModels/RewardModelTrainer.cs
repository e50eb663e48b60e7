// RewardModelTrainer: trains a RewardModel (PRM or ORM, backbone and head together) with binary
// cross-entropy at the scored positions — every step end for a PRM, the last token for an ORM:
//   loss = (1/M) Σ_m BCE(l_m, y_m),  dL/dl_m = (σ(l_m) − y_m) / M   (M scored positions in the batch),
// seeded shuffles per epoch (Xoshiro256**, Fisher–Yates; examples of similar length batched together within
// windows of 8 batches to cut padding), AdamW at a constant or cosine learning rate (LearningRateSchedule over the
// optimizer steps of all epochs, with an optional linear warm-up), global
// gradient-norm clipping over backbone + head, non-finite steps skipped (NanGuard). After training it
// scores the held-out set and reports loss, accuracy, the majority baseline, AUC and best-of-N
// (RewardModelMetrics). Batches are right-padded with id 0 (causal attention: padding never reaches
// a real token). What it is not: data loading (RewardModelExamples, Data loaders) or checkpointing
// (RewardModel.Save).
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Training.Ppo;
using System.Diagnostics;

namespace ReasonRL.Training.RewardModels;

public sealed class RewardModelTrainer : IDisposable
{
    private readonly RewardModel model;
    private readonly AdamWOptimizer backboneOptimizer;
    private readonly AdamWOptimizer headOptimizer;

    public RewardModelTrainer(RewardModel model, RewardModelTrainOptions options)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        options.Validate();
        var adam = new AdamWOptions { LearningRate = (float)options.LearningRate, WeightDecay = (float)options.WeightDecay };
        backboneOptimizer = new AdamWOptimizer(model.Backbone.Layout.Slab, adam);
        headOptimizer = new AdamWOptimizer(model.HeadLayout, adam);
    }

    public RewardModelTrainOptions Options { get; }

    /// <summary>Trains on <paramref name="train"/> for Options.Epochs, then evaluates <paramref name="heldOut"/>.</summary>
    /// <exception cref="ArgumentException">An example is malformed (lengths, positions, labels).</exception>
    /// <exception cref="InvalidOperationException">Too many non-finite steps in a row (weights of the last good step kept).</exception>
    public RewardModelReport Train(IReadOnlyList<RewardModelExample> train, IReadOnlyList<RewardModelExample> heldOut,
        Action<RewardModelProgress>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(heldOut);
        if (train.Count == 0) throw new ArgumentException("reward-model training: the training set is empty");
        Check(train, "training");
        Check(heldOut, "held-out");
        var clock = Stopwatch.StartNew();
        var rng = new Rng(Options.Seed);
        var guard = new NanGuard(Options.MaxConsecutiveNonFinite);
        int batchesPerEpoch = (train.Count + Options.BatchSize - 1) / Options.BatchSize;
        long totalSteps = (long)batchesPerEpoch * Options.Epochs, step = 0;
        double lastEpochLoss = double.NaN;
        var order = Enumerable.Range(0, train.Count).ToArray();
        for (int epoch = 1; epoch <= Options.Epochs; epoch++)
        {
            var batches = EpochBatches(order, train, rng);
            double lossSum = 0;
            int lossCount = 0;
            foreach (var indices in batches)
            {
                ct.ThrowIfCancellationRequested();
                var batch = indices.Select(k => train[k]).ToList();
                SetLearningRate(step, totalSteps);
                step++;
                var (loss, norm, applied) = TrainStep(batch, step, guard);
                if (applied)
                {
                    lossSum += loss;
                    lossCount++;
                }
                progress?.Invoke(new RewardModelProgress(epoch, step, totalSteps, loss, norm, !applied) { LearningRate = CurrentLearningRate });
            }
            lastEpochLoss = lossCount == 0 ? double.NaN : lossSum / lossCount;
        }
        return Evaluate(train, heldOut, lastEpochLoss, step, guard.TotalSkipped, clock.Elapsed.TotalSeconds);
    }

    /// <summary>The learning rate of the optimizer step after <paramref name="stepsTaken"/> steps (0-based position in
    /// the schedule), set on both optimizers.</summary>
    private void SetLearningRate(long stepsTaken, long totalSteps)
    {
        double lr = LearningRateSchedule.At(stepsTaken, Options.LearningRate, Options.Schedule, Options.WarmupSteps,
            (int)Math.Min(int.MaxValue, totalSteps), Options.MinLearningRateRatio);
        backboneOptimizer.Options = backboneOptimizer.Options with { LearningRate = (float)lr };
        headOptimizer.Options = headOptimizer.Options with { LearningRate = (float)lr };
        CurrentLearningRate = lr;
    }

    /// <summary>Learning rate of the last optimizer step taken (NaN before the first).</summary>
    public double CurrentLearningRate { get; private set; } = double.NaN;

    /// <summary>One epoch's batches: a seeded shuffle, then within each window of
    /// <see cref="LengthWindow"/> batches the examples sorted by length (less padding, same data per window),
    /// then the batch order shuffled again.</summary>
    private List<int[]> EpochBatches(int[] order, IReadOnlyList<RewardModelExample> train, Rng rng)
    {
        Shuffle(order, rng);
        var batches = new List<int[]>();
        int window = Options.BatchSize * LengthWindow;
        for (int w = 0; w < order.Length; w += window)
        {
            var sorted = order.AsSpan(w, Math.Min(window, order.Length - w)).ToArray().OrderBy(k => train[k].Tokens.Length).ToArray();
            for (int start = 0; start < sorted.Length; start += Options.BatchSize)
                batches.Add(sorted.AsSpan(start, Math.Min(Options.BatchSize, sorted.Length - start)).ToArray());
        }
        var batchOrder = Enumerable.Range(0, batches.Count).ToArray();
        Shuffle(batchOrder, rng);
        return batchOrder.Select(i => batches[i]).ToList();
    }

    /// <summary>Batches per length-sorting window.</summary>
    private const int LengthWindow = 8;

    private static void Shuffle(int[] items, Rng rng)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary>One optimizer step on <paramref name="batch"/>: (mean BCE, gradient norm, applied).</summary>
    private (double Loss, double GradNorm, bool Applied) TrainStep(List<RewardModelExample> batch, long step, NanGuard guard)
    {
        int t = batch.Max(e => e.Tokens.Length);
        var labels = batch.SelectMany(e => e.Labels).ToArray();
        if (labels.Length == 0) return (double.NaN, 0, false);   // no scored position in this batch: nothing to learn
        var (padded, rows) = RewardModel.Pack(batch.ConvertAll(e => e.Tokens), batch.ConvertAll(e => e.Positions), t);
        var logits = model.ForwardLogits(padded, batch.Count, t, rows);
        int m = logits.Length;
        double loss = 0;
        var dLogits = new float[m];
        for (int r = 0; r < m; r++)
        {
            loss += RewardModelMetrics.Bce(logits[r], labels[r]);
            dLogits[r] = (RewardModel.Sigmoid(logits[r]) - labels[r]) / m;
        }
        loss /= m;
        model.Backbone.ZeroGradients();
        model.HeadGradients.Clear();
        model.BackwardLogits(dLogits);
        double ss = 0;
        model.Backbone.Gradients!.ForEachChunk(c => ss += Kernels.SumOfSquares(c));
        model.HeadGradients.ForEachChunk(c => ss += Kernels.SumOfSquares(c));
        double norm = Math.Sqrt(ss);
        var action = guard.Check(step, double.IsFinite(norm) ? loss : double.NaN);
        if (action == NanGuardAction.Stop)
            throw new InvalidOperationException($"reward-model training stopped: {guard.Consecutive} non-finite steps in a row ({guard.LastReason}; gradient norm {norm})");
        if (action == NanGuardAction.Skip) return (loss, norm, false);
        if (Options.MaxGradNorm > 0 && double.IsFinite(Options.MaxGradNorm) && norm > Options.MaxGradNorm)
        {
            float scale = (float)(Options.MaxGradNorm / (norm + 1e-6));
            model.Backbone.Gradients!.ForEachChunk(c => Kernels.Scale(c, scale));
            model.HeadGradients.ForEachChunk(c => Kernels.Scale(c, scale));
        }
        backboneOptimizer.Update(model.Backbone.Parameters, model.Backbone.Gradients!);
        headOptimizer.Update(model.HeadParameters, model.HeadGradients);
        return (loss, norm, true);
    }

    /// <summary>Scores <paramref name="examples"/>: the logits at each example's positions.</summary>
    public float[][] Logits(IReadOnlyList<RewardModelExample> examples)
    {
        ArgumentNullException.ThrowIfNull(examples);
        return model.ScoreLogits(examples.Select(e => e.Tokens).ToList(), examples.Select(e => e.Positions).ToList());
    }

    private RewardModelReport Evaluate(IReadOnlyList<RewardModelExample> train, IReadOnlyList<RewardModelExample> heldOut,
        double trainLoss, long steps, int skipped, double seconds)
    {
        var logits = Logits(heldOut);
        var flatLogits = logits.SelectMany(l => l).Select(l => (double)l).ToList();
        var probabilities = flatLogits.Select(l => (double)RewardModel.Sigmoid((float)l)).ToList();
        var labels = heldOut.SelectMany(e => e.Labels).ToList();
        var trainLabels = train.SelectMany(e => e.Labels).ToList();
        double loss = flatLogits.Count == 0 ? double.NaN : flatLogits.Select((l, i) => RewardModelMetrics.Bce(l, labels[i])).Average();
        var bestOfN = new Dictionary<string, BestOfNResult>(StringComparer.Ordinal);
        var groups = heldOut.Select(e => e.GroupId).ToList();
        var correct = heldOut.Select(e => e.ResponseCorrect).ToList();
        double? headline = null;
        var aggregations = model.Kind == RewardModelKind.Prm ? Enum.GetValues<StepAggregation>() : [StepAggregation.Last];
        foreach (var aggregation in aggregations)
        {
            var scores = logits.Select(l => RewardModelMetrics.Aggregate(l.Select(x => (double)RewardModel.Sigmoid(x)).ToList(), aggregation)).ToList();
            if (RewardModelMetrics.BestOfN(groups, correct, scores) is not { } result) continue;
            string name = model.Kind == RewardModelKind.Prm ? aggregation.ToString().ToLowerInvariant() : "score";
            bestOfN[name] = result;
            if (model.Kind == RewardModelKind.Orm || aggregation == Options.BestOfN) headline = result.Accuracy;
        }
        return new RewardModelReport
        {
            Kind = model.Kind == RewardModelKind.Prm ? "prm" : "orm",
            TrainLoss = trainLoss,
            HeldOutLoss = loss,
            StepAccuracy = RewardModelMetrics.Accuracy(probabilities, labels),
            MajorityBaseline = RewardModelMetrics.MajorityBaseline(trainLabels, labels),
            Auc = RewardModelMetrics.Auc(probabilities, labels),
            BestOfNAccuracy = headline,
            BestOfN = bestOfN,
            TrainExamples = train.Count,
            TrainPositions = trainLabels.Count,
            HeldOutExamples = heldOut.Count,
            HeldOutPositions = labels.Count,
            HeldOutPositiveRate = labels.Count == 0 ? double.NaN : labels.Count(y => y >= 0.5f) / (double)labels.Count,
            Epochs = Options.Epochs,
            Steps = steps,
            SkippedSteps = skipped,
            Seconds = seconds,
        };
    }

    private void Check(IReadOnlyList<RewardModelExample> examples, string set)
    {
        var cfg = model.Backbone.Config;
        for (int i = 0; i < examples.Count; i++)
        {
            var e = examples[i] ?? throw new ArgumentException($"{set} example {i} is null");
            string where = $"{set} example {i}";
            if (e.Tokens.Length == 0) throw new ArgumentException($"{where}: no tokens");
            if (e.Tokens.Length > cfg.MaxPositionEmbeddings) throw new ArgumentException($"{where}: {e.Tokens.Length} tokens exceed max_position_embeddings {cfg.MaxPositionEmbeddings}");
            if (e.Positions.Length != e.Labels.Length) throw new ArgumentException($"{where}: {e.Positions.Length} positions but {e.Labels.Length} labels");
            foreach (int id in e.Tokens)
            {
                if ((uint)id >= (uint)cfg.VocabSize) throw new ArgumentException($"{where}: token id {id} outside the vocabulary [0, {cfg.VocabSize})");
            }
            foreach (int p in e.Positions)
            {
                if ((uint)p >= (uint)e.Tokens.Length) throw new ArgumentException($"{where}: position {p} outside [0, {e.Tokens.Length})");
            }
            foreach (float y in e.Labels)
            {
                if (y is not (0f or 1f)) throw new ArgumentException($"{where}: label {y}; expected 0 or 1");
            }
        }
    }

    public void Dispose()
    {
        backboneOptimizer.Dispose();
        headOptimizer.Dispose();
    }
}
