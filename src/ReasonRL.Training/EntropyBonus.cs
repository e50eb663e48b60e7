// EntropyBonus: the entropy term L_ent = −c·Σ w_t·H_t (subtracting entropy encourages exploration),
// with backward d L / d H_t = −c·w_t, plus the full-distribution entropy of one logits row and its
// gradient w.r.t. the logits (dH/dz_j = −p_j·(log p_j + H)), so the trainer can chain it to the model.
// What it is not: the policy loss.  Reference: Schulman et al. 2017 (PPO objective c₂·S).
namespace ReasonRL.Training;

/// <summary>Entropy bonus.</summary>
public static class EntropyBonus
{
    /// <summary>Forward −c·Σ w·H and the gradient with respect to each token's entropy; also the mean entropy.</summary>
    public static (double Loss, double[] Gradient, double MeanEntropy) Compute(
        ReadOnlySpan<double> entropy, ReadOnlySpan<bool> mask, int b, int t, double coefficient, LossAggregation aggregation)
    {
        Advantages.RequireLength(entropy.Length, b * t, "entropy");
        var w = LossAggregations.Weights(mask, b, t, aggregation);
        var grad = new double[b * t];
        double loss = 0, sum = 0; int n = 0;
        for (int i = 0; i < grad.Length; i++)
        {
            if (!mask[i]) continue;
            loss -= coefficient * w[i] * entropy[i];
            grad[i] = -coefficient * w[i];
            sum += entropy[i]; n++;
        }
        return (loss, grad, n == 0 ? 0 : sum / n);
    }

    /// <summary>Entropy H = −Σ p log p of softmax(<paramref name="logits"/>), numerically stable.</summary>
    public static double OfLogits(ReadOnlySpan<double> logits)
    {
        double max = double.NegativeInfinity;
        foreach (var z in logits) max = Math.Max(max, z);
        double s = 0;
        foreach (var z in logits) s += Math.Exp(z - max);
        double logZ = max + Math.Log(s), h = 0;
        foreach (var z in logits) { double lp = z - logZ; h -= Math.Exp(lp) * lp; }
        return h;
    }

    /// <summary>dH/dz_j = −p_j·(log p_j + H) for softmax entropy.</summary>
    public static double[] GradientOfLogits(ReadOnlySpan<double> logits)
    {
        double max = double.NegativeInfinity;
        foreach (var z in logits) max = Math.Max(max, z);
        double s = 0;
        foreach (var z in logits) s += Math.Exp(z - max);
        double logZ = max + Math.Log(s);
        double h = OfLogits(logits);
        var g = new double[logits.Length];
        for (int j = 0; j < g.Length; j++) { double lp = logits[j] - logZ; g[j] = -Math.Exp(lp) * (lp + h); }
        return g;
    }
}
