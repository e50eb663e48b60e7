// PpoTrainer, part 3: the update. For each of PpoEpochs passes the valid responses are shuffled (from
// the trainer's RNG) and cut into minibatches of MiniBatchSize; each minibatch is one optimizer update
// built from GradientAccumulation micro-batches whose losses are each aggregated over the micro-batch
// and weighted 1/(micro-batches):
//   policy:  L_π = PolicyLoss(logπ, logπ_old, A) − c_H·agg(H) [+ β·agg(KL(π‖π_ref)) when the KL is in the loss]
//            d L_π / d logπ_t and d L_π / d H_t → Transformer.BackwardLogProbs
//   critic:  L_V = c_V·ValueLoss(V, V_old, returns; ε_v) → ScalarHead.Backward → Backbone.Backward(dHidden)
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

    private float[] _rowScratch = [], _entropyRows = [], _dHidden = [];

    private UpdateStats Update(Experience e, double lr, double criticLr, double beta, CancellationToken ct)
    {
        _policyOptimizer.Options = _policyOptimizer.Options with { LearningRate = (float)lr };
        if (_criticOptimizer is not null)
        {
            _criticOptimizer.Options = _criticOptimizer.Options with { LearningRate = (float)criticLr };
            _headOptimizer!.Options = _headOptimizer.Options with { LearningRate = (float)criticLr };
        }
        var stats = new UpdateStats();
        var order = new int[e.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        for (int epoch = 0; epoch < _options.PpoEpochs; epoch++)
        {
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = _rng.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            for (int start = 0; start < order.Length; start += _options.MiniBatchSize)
            {
                ct.ThrowIfCancellationRequested();
                var minibatch = new ArraySegment<int>(order, start, System.Math.Min(_options.MiniBatchSize, order.Length - start));
                UpdateOnce(e, minibatch, beta, ref stats);
            }
        }
        return stats;
    }

    private void UpdateOnce(Experience e, ArraySegment<int> minibatch, double beta, ref UpdateStats stats)
    {
        _policy.ZeroGradients();
        _critic?.Backbone.ZeroGradients();
        _critic?.Head.Gradients.Clear();
        int micros = System.Math.Min(_options.GradientAccumulation, minibatch.Count);
        double scale = 1.0 / micros;
        double policyLoss = 0, valueLoss = 0, entropy = 0, clip = 0, approxKl = 0;
        for (int m = 0; m < micros; m++)
        {
            // micro-batch m = the m-th of `micros` near-equal slices of the minibatch
            int from = minibatch.Count * m / micros, to = minibatch.Count * (m + 1) / micros;
            var members = minibatch.Slice(from, to - from);
            var sb = new SequenceBatch(Select(e.Prompts, members), Select(e.Responses, members), _padId);
            int b = sb.Count, t = sb.MaxResponse, rows = b * sb.Length;
            var old = Gather(e.OldLogProbs, e.MaxTokens, members, t);
            var adv = Gather(e.Advantages, e.MaxTokens, members, t);
            var logp = new double[b * t];
            var ent = new double[b * t];
            sb.ForwardLogProbs(_policy, logp, ent);

            var pl = PolicyLoss.Compute(logp, old, adv, sb.Mask, b, t, _options.PolicyLoss with { Aggregation = _options.Aggregation });
            var dLogp = pl.Gradient;
            double loss = pl.Loss;
            var eb = EntropyBonus.Compute(ent, sb.Mask, b, t, _options.EntropyCoef, _options.Aggregation);
            loss += eb.Loss;
            if (_options.KlPlacement == KlPlacement.InLoss && beta > 0)
            {
                var reference = Gather(e.RefLogProbs!, e.MaxTokens, members, t);
                var (klLoss, klGrad) = KlPenalty.LossTerm(logp, reference, sb.Mask, b, t, _options.KlEstimator, beta, _options.Aggregation);
                loss += klLoss;
                for (int i = 0; i < dLogp.Length; i++) dLogp[i] += klGrad[i];
            }
            for (int i = 0; i < dLogp.Length; i++) dLogp[i] *= scale;
            Grow(ref _rowScratch, rows);
            sb.Scatter(dLogp, _rowScratch.AsSpan(0, rows));
            if (_options.EntropyCoef != 0)
            {
                var dEnt = eb.Gradient;
                for (int i = 0; i < dEnt.Length; i++) dEnt[i] *= scale;
                Grow(ref _entropyRows, rows);
                sb.Scatter(dEnt, _entropyRows.AsSpan(0, rows));
                _policy.BackwardLogProbs(sb.Targets, _rowScratch.AsSpan(0, rows), _entropyRows.AsSpan(0, rows));
            }
            else _policy.BackwardLogProbs(sb.Targets, _rowScratch.AsSpan(0, rows), default);
            policyLoss += loss * scale; entropy += eb.MeanEntropy * scale; clip += pl.ClipFraction * scale; approxKl += pl.ApproxKlK2 * scale;

            if (_critic is not null)
            {
                var values = new double[b * t];
                var boot = new double[b];
                _critic.Forward(sb, values, boot);
                var oldValues = Gather(e.OldValues!, e.MaxTokens, members, t);
                var returns = Gather(e.Returns!, e.MaxTokens, members, t);
                var vl = ValueLoss.Compute(values, oldValues, returns, sb.Mask, b, t,
                    _options.ValueClip > 0 ? _options.ValueClip : null, _options.Aggregation);
                var dV = vl.Gradient;
                for (int i = 0; i < dV.Length; i++) dV[i] *= _options.ValueLossCoef * scale;
                Grow(ref _dHidden, rows * _critic.Head.Width);
                _critic.Backward(sb, dV, _rowScratch, _dHidden);
                valueLoss += vl.Loss * scale;
            }
        }

        double policyNorm = System.Math.Sqrt(SumOfSquares(_policy.Gradients!));
        double criticNorm = _critic is null ? 0 : System.Math.Sqrt(SumOfSquares(_critic.Backbone.Gradients!) + SumOfSquares(_critic.Head.Gradients));
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

    private static int[][] Select(int[][] all, ArraySegment<int> members)
    {
        var r = new int[members.Count][];
        for (int i = 0; i < r.Length; i++) r[i] = all[members[i]];
        return r;
    }

    /// <summary>Rows <paramref name="members"/> of a [*, tFrom] grid → a new [members, tTo] grid (tTo ≤ tFrom, longer rows impossible).</summary>
    private static double[] Gather(double[] grid, int tFrom, ArraySegment<int> members, int tTo)
    {
        var r = new double[members.Count * tTo];
        for (int i = 0; i < members.Count; i++) Array.Copy(grid, members[i] * tFrom, r, i * tTo, tTo);
        return r;
    }

    private static void Grow(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
    }
}
