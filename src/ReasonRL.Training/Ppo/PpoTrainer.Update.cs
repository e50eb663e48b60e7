// PpoTrainer, part 3: the update. For each of PpoEpochs passes the valid responses are shuffled (from
// the trainer's RNG) and cut into minibatches of MiniBatchSize; each minibatch is one optimizer update
// built from GradientAccumulation micro-batches whose losses are each aggregated over the micro-batch
// and weighted 1/(micro-batches); the objectives and their backward are PpoLossTerms (policy L_π,
// critic c_V·L_V). With LengthGroupedBatches the shuffled responses are stably sorted by length before
// they are cut, and the minibatches run in a shuffled order: less padding, every response still once per pass.
// Then the NaN/Inf guard looks at the loss and both gradient norms: a bad update is skipped (weights
// and AdamW moments untouched), MaxConsecutiveNonFinite in a row throw. Otherwise each model's gradient
// is clipped to MaxGradNorm by its global norm (critic: backbone and head together) and AdamW steps.
using ReasonRL.Models;
using ReasonRL.Tensors;

namespace ReasonRL.Training.Ppo;

public sealed partial class PpoTrainer
{
    /// <summary>Sums over the updates of one step (means reported in the metrics).</summary>
    private struct UpdateStats
    {
        public int Updates, Skipped;
        public double PolicyLoss, ValueLoss, Entropy, ClipFraction, ApproxKl, PolicyGradNorm, CriticGradNorm;
        public readonly double Mean(double sum) => Updates == 0 ? 0 : sum / Updates;
    }

    private readonly PpoLossTerms.Scratch _scratch = new();

    private UpdateStats Update(IReadOnlyList<RolloutRecord> records, RolloutBatch batch, AdvantageResult advantages, double lr, double criticLr, double beta, CancellationToken ct)
    {
        _policyOptimizer.Options = _policyOptimizer.Options with { LearningRate = (float)lr };
        if (_criticOptimizer is not null)
        {
            _criticOptimizer.Options = _criticOptimizer.Options with { LearningRate = (float)criticLr };
            _headOptimizer!.Options = _headOptimizer.Options with { LearningRate = (float)criticLr };
        }
        var stats = new UpdateStats();
        var order = new int[records.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        int perEpoch = (order.Length + _options.MiniBatchSize - 1) / _options.MiniBatchSize, done = 0;
        for (int epoch = 0; epoch < _options.PpoEpochs; epoch++)
        {
            Shuffle(order);
            var passOrder = _options.LengthGroupedBatches ? ByLength(order, records) : order;
            var starts = new int[perEpoch];
            for (int m = 0; m < perEpoch; m++) starts[m] = m * _options.MiniBatchSize;
            if (_options.LengthGroupedBatches) Shuffle(starts);
            foreach (int start in starts)
            {
                ct.ThrowIfCancellationRequested();
                var minibatch = new ArraySegment<int>(passOrder, start, Math.Min(_options.MiniBatchSize, passOrder.Length - start));
                UpdateOnce(records, batch, advantages, minibatch, beta, ref stats);
                Report(PpoPhase.Update, ++done, perEpoch * _options.PpoEpochs);
            }
        }
        return stats;
    }

    /// <summary>Fisher–Yates shuffle from the trainer's RNG.</summary>
    private void Shuffle(int[] items)
    {
        for (int i = items.Length - 1; i > 0; i--)
        {
            int j = _rng.NextInt(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }

    /// <summary><paramref name="order"/> stably sorted by prompt + response length (equal lengths keep their order).</summary>
    private static int[] ByLength(int[] order, IReadOnlyList<RolloutRecord> records) =>
        order.OrderBy(i => records[i].PromptTokens.Length + records[i].ResponseTokens.Length).ToArray();

    private void UpdateOnce(IReadOnlyList<RolloutRecord> records, RolloutBatch e, AdvantageResult adv, ArraySegment<int> minibatch, double beta, ref UpdateStats stats)
    {
        _policy.ZeroGradients();
        _critic?.Backbone.ZeroGradients();
        _critic?.Head.Gradients.Clear();
        int micros = Math.Min(_options.GradientAccumulation, minibatch.Count);
        double scale = 1.0 / micros;
        double policyLoss = 0, valueLoss = 0, entropy = 0, clip = 0, approxKl = 0;
        for (int m = 0; m < micros; m++)
        {
            // micro-batch m = the m-th of `micros` near-equal slices of the minibatch
            int from = minibatch.Count * m / micros, to = minibatch.Count * (m + 1) / micros;
            var members = minibatch.Slice(from, to - from);
            var sb = new SequenceBatch(Select(records, members, r => r.PromptTokens), Select(records, members, r => r.ResponseTokens), _padId);
            int t = sb.MaxResponse;
            var reference = e.RefLogProbs is null ? null : Gather(e.RefLogProbs, e.MaxTokens, members, t);
            var pt = PpoLossTerms.Policy(_policy, sb, Gather(e.OldLogProbs, e.MaxTokens, members, t), Gather(adv.Advantages, e.MaxTokens, members, t),
                reference, _options, beta, scale, _scratch);
            policyLoss += pt.Loss * scale; entropy += pt.MeanEntropy * scale; clip += pt.ClipFraction * scale; approxKl += pt.ApproxKl * scale;
            if (_critic is not null)
            {
                var vl = PpoLossTerms.Value(_critic, sb, Gather(e.Values!, e.MaxTokens, members, t), Gather(adv.Returns!, e.MaxTokens, members, t),
                    _options, scale, _scratch);
                valueLoss += vl.Loss * scale;
            }
        }

        double policyNorm = Math.Sqrt(SumOfSquares(_policy.Gradients!));
        double criticNorm = _critic is null ? 0 : Math.Sqrt(SumOfSquares(_critic.Backbone.Gradients!) + SumOfSquares(_critic.Head.Gradients));
        var action = _guard.CheckNorms(Step, policyLoss + _options.ValueLossCoef * valueLoss, ("policy", policyNorm), ("critic", criticNorm));
        if (action == NanGuardAction.Stop)
            throw new NonFiniteTrainingException($"ppo: {_guard.Consecutive} non-finite updates in a row (limit MaxConsecutiveNonFinite = {_options.MaxConsecutiveNonFinite}); last: {_guard.LastReason}. Weights and optimizer state are those of the last good update.");
        if (action == NanGuardAction.Skip) { stats.Skipped++; return; }

        ClipTo(policyNorm, _policy.Gradients!);
        _policyOptimizer.Update(_policy.Parameters, _policy.Gradients!, double.PositiveInfinity);
        if (_critic is not null)
        {
            ClipTo(criticNorm, _critic.Backbone.Gradients!, _critic.Head.Gradients);
            _criticOptimizer!.Update(_critic.Backbone.Parameters, _critic.Backbone.Gradients!, double.PositiveInfinity);
            _headOptimizer!.Update(_critic.Head.Parameters, _critic.Head.Gradients, double.PositiveInfinity);
        }
        stats.Updates++;
        stats.PolicyLoss += policyLoss; stats.ValueLoss += valueLoss; stats.Entropy += entropy;
        stats.ClipFraction += clip; stats.ApproxKl += approxKl;
        stats.PolicyGradNorm += policyNorm; stats.CriticGradNorm += criticNorm;
    }

    /// <summary>Scales the slabs by MaxGradNorm/(norm + 1e-6) when that is &lt; 1 (torch clip_grad_norm_).</summary>
    private void ClipTo(double norm, params NativeSlab[] gradients)
    {
        double max = _options.MaxGradNorm;
        if (!(max > 0) || !double.IsFinite(max)) return;
        double coef = max / (norm + 1e-6);
        if (coef >= 1) return;
        foreach (var g in gradients) g.ForEachChunk(chunk => Kernels.Scale(chunk, (float)coef));
    }

    private static double SumOfSquares(NativeSlab slab)
    {
        double ss = 0;
        slab.ForEachChunk(chunk => ss += Kernels.SumOfSquares(chunk));
        return ss;
    }

    private static int[][] Select(IReadOnlyList<RolloutRecord> records, ArraySegment<int> members, Func<RolloutRecord, int[]> ids)
    {
        var r = new int[members.Count][];
        for (int i = 0; i < r.Length; i++) r[i] = ids(records[members[i]]);
        return r;
    }

    /// <summary>Rows <paramref name="members"/> of a [*, tFrom] grid → a new [members, tTo] grid (tTo ≤ tFrom, longer rows impossible).</summary>
    private static double[] Gather(double[] grid, int tFrom, ArraySegment<int> members, int tTo)
    {
        var r = new double[members.Count * tTo];
        for (int i = 0; i < members.Count; i++) Array.Copy(grid, members[i] * tFrom, r, i * tTo, tTo);
        return r;
    }
}
