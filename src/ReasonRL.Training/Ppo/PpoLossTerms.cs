// PpoLossTerms: the policy and critic objectives of one micro-batch, forward and backward, chaining
// the pure loss functions (PolicyLoss, EntropyBonus, KlPenalty.LossTerm, ValueLoss) to the models:
//   policy:  L_π = PolicyLoss(logπ, logπ_old, A) − c_H·agg(H) [+ β·agg(KL_t(π‖π_ref)) when the KL is in the loss]
//            ∂L_π/∂logπ_t and ∂L_π/∂H_t are scattered to the rows predicting each response token and fed
//            to Transformer.BackwardLogProbs (which accumulates the gradient of scale·L_π)
//   critic:  L_V = ValueLoss(V, V_old, returns; ε_v);  scale·c_V·∂L_V/∂V_t → ScalarHead.Backward → Backbone.Backward
// What it is not: the loss math (tested on its own in LossTests) or the optimizer step (PpoTrainer.Update.cs).
using ReasonRL.Models;

namespace ReasonRL.Training.Ppo;

/// <summary>Per-micro-batch objectives with backward.</summary>
internal static class PpoLossTerms
{
    /// <summary>Reusable row buffers (grow-only) so repeated micro-batches do not reallocate.</summary>
    internal sealed class Scratch
    {
        public float[] Rows = [], EntropyRows = [], DHidden = [];

        public static Span<float> Grow(ref float[] buffer, int length)
        {
            if (buffer.Length < length) buffer = new float[length];
            return buffer.AsSpan(0, length);
        }
    }

    /// <summary>Policy objective value and diagnostics of a micro-batch.</summary>
    internal readonly record struct PolicyTerms(double Loss, double MeanEntropy, double ClipFraction, double ApproxKl);

    /// <summary>
    /// Forward of L_π over <paramref name="batch"/> ([B, T] grids: old log-probs, advantages, reference
    /// log-probs or null); when <paramref name="scale"/> ≠ 0 also accumulates scale·∂L_π/∂θ into the policy's gradients.
    /// </summary>
    public static PolicyTerms Policy(Transformer policy, SequenceBatch batch, double[] oldLogProbs, double[] advantages, double[]? refLogProbs,
        PpoOptions options, double beta, double scale, Scratch scratch)
    {
        int b = batch.Count, t = batch.MaxResponse, rows = b * batch.Length;
        var logp = new double[b * t];
        var entropy = new double[b * t];
        batch.ForwardLogProbs(policy, logp, entropy);
        var pl = PolicyLoss.Compute(logp, oldLogProbs, advantages, batch.Mask, b, t, options.PolicyLoss with { Aggregation = options.Aggregation });
        var eb = EntropyBonus.Compute(entropy, batch.Mask, b, t, options.EntropyCoef, options.Aggregation);
        double loss = pl.Loss + eb.Loss;
        var dLogp = pl.Gradient;
        if (options.KlPlacement == KlPlacement.InLoss && beta > 0)
        {
            var reference = refLogProbs ?? throw new ArgumentException("ppo: the KL is in the loss but no reference log-probs were given", nameof(refLogProbs));
            var (klLoss, klGrad) = KlPenalty.LossTerm(logp, reference, batch.Mask, b, t, options.KlEstimator, beta, options.Aggregation);
            loss += klLoss;
            for (int i = 0; i < dLogp.Length; i++) dLogp[i] += klGrad[i];
        }
        var terms = new PolicyTerms(loss, eb.MeanEntropy, pl.ClipFraction, pl.ApproxKlK2);
        if (scale == 0) return terms;

        for (int i = 0; i < dLogp.Length; i++) dLogp[i] *= scale;
        var dRows = Scratch.Grow(ref scratch.Rows, rows);
        batch.Scatter(dLogp, dRows);
        if (options.EntropyCoef == 0)
        {
            policy.BackwardLogProbs(batch.Targets, dRows, default);
            return terms;
        }
        var dEntropy = eb.Gradient;
        for (int i = 0; i < dEntropy.Length; i++) dEntropy[i] *= scale;
        var dEntropyRows = Scratch.Grow(ref scratch.EntropyRows, rows);
        batch.Scatter(dEntropy, dEntropyRows);
        policy.BackwardLogProbs(batch.Targets, dRows, dEntropyRows);
        return terms;
    }

    /// <summary>
    /// Forward of L_V (unweighted by c_V) over <paramref name="batch"/>; when <paramref name="scale"/> ≠ 0 also
    /// accumulates scale·c_V·∂L_V/∂θ into the critic's head and backbone gradients.
    /// </summary>
    public static ValueLossResult Value(Critic critic, SequenceBatch batch, double[] oldValues, double[] returns, PpoOptions options, double scale, Scratch scratch)
    {
        int b = batch.Count, t = batch.MaxResponse, rows = b * batch.Length;
        var values = new double[b * t];
        critic.Forward(batch, values, new double[b]);
        var vl = ValueLoss.Compute(values, oldValues, returns, batch.Mask, b, t, options.ValueClip > 0 ? options.ValueClip : null, options.Aggregation);
        if (scale == 0) return vl;
        var dV = vl.Gradient;
        for (int i = 0; i < dV.Length; i++) dV[i] *= options.ValueLossCoef * scale;
        Scratch.Grow(ref scratch.Rows, rows);
        Scratch.Grow(ref scratch.DHidden, rows * critic.Head.Width);
        critic.Backward(batch, dV, scratch.Rows, scratch.DHidden);
        return vl;
    }
}
