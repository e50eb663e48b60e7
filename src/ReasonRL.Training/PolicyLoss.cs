// PolicyLoss: PPO clipped surrogate with explicit forward and backward.
//   ratio_t = exp(logπ_θ − logπ_old)
//   l_t     = max( −A·ratio, −A·clip(ratio, 1−ε_low, 1+ε_high) )
//   dual clip (optional, A < 0 only): l_t = min(l_t, −A·c)
//   L       = Σ w_t·l_t                       (w from LossAggregation)
// Backward, d L / d logπ_θ(t) = w_t·(−A·ratio) where the unclipped branch is active (the max picks
// it, ties included) and the dual clip is not; 0 where a clipped constant is active.
// Diagnostics (over valid tokens): clip fraction (clipped branch strictly larger), dual-clip fraction,
// approx KL = mean ½·(logπ_θ − logπ_old)² (the k2 estimate, OpenRLHF/verl "ppo_kl" uses k1; both reported),
// ratio mean/min/max.
// What it is not: the value loss, entropy or KL term (ValueLoss.cs, EntropyBonus.cs, KlPenalty.cs).
// Reference: docs/reward-methods.md §7.1; Schulman et al. 2017; verl compute_policy_loss.
namespace ReasonRL.Training;

/// <summary>PPO policy loss options.</summary>
/// <param name="ClipLow">ε_low (ratio floor 1 − ε_low). Default 0.2.</param>
/// <param name="ClipHigh">ε_high (ratio ceiling 1 + ε_high); null means ε_high = ε_low.</param>
/// <param name="DualClip">Dual-clip constant c (&gt; 1) for A &lt; 0; null disables (verl uses 3).</param>
/// <param name="Aggregation">How token losses are aggregated.</param>
public sealed record PolicyLossOptions(double ClipLow = 0.2, double? ClipHigh = null, double? DualClip = null,
    LossAggregation Aggregation = LossAggregation.TokenMean);

/// <summary>Forward value, diagnostics and the gradient d L / d logπ_θ per token [B, T].</summary>
public sealed record PolicyLossResult(double Loss, double[] Gradient, double ClipFraction, double DualClipFraction,
    double ApproxKlK1, double ApproxKlK2, double RatioMean, double RatioMin, double RatioMax);

/// <summary>PPO clipped policy loss.</summary>
public static class PolicyLoss
{
    /// <summary>Computes loss, diagnostics and gradient in one pass.</summary>
    public static PolicyLossResult Compute(
        ReadOnlySpan<double> logProbs, ReadOnlySpan<double> oldLogProbs, ReadOnlySpan<double> advantages,
        ReadOnlySpan<bool> mask, int b, int t, PolicyLossOptions options)
    {
        Advantages.RequireLength(logProbs.Length, b * t, "logProbs");
        Advantages.RequireLength(oldLogProbs.Length, b * t, "oldLogProbs");
        Advantages.RequireLength(advantages.Length, b * t, "advantages");
        if (options.ClipLow is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(options), options.ClipLow, "ClipLow: expected 0 ≤ ε_low < 1");
        double hi = 1.0 + (options.ClipHigh ?? options.ClipLow), lo = 1.0 - options.ClipLow;
        if (options.DualClip is { } dc && dc <= 1.0) throw new ArgumentOutOfRangeException(nameof(options), dc, "DualClip: expected c > 1");

        var w = LossAggregations.Weights(mask, b, t, options.Aggregation);
        var grad = new double[b * t];
        double loss = 0, ratioSum = 0, kl1 = 0, kl2 = 0, rMin = double.PositiveInfinity, rMax = double.NegativeInfinity;
        int n = 0, clipped = 0, dual = 0;
        for (int i = 0; i < grad.Length; i++)
        {
            if (!mask[i]) continue;
            double d = logProbs[i] - oldLogProbs[i];
            double ratio = Math.Exp(d), a = advantages[i];
            double unclipped = -a * ratio;
            double clippedLoss = -a * Math.Clamp(ratio, lo, hi);
            double l = unclipped;
            double g = -a * ratio;
            if (clippedLoss > unclipped) { l = clippedLoss; g = 0; clipped++; }
            if (options.DualClip is { } c && a < 0 && -a * c < l) { l = -a * c; g = 0; dual++; }
            loss += w[i] * l;
            grad[i] = w[i] * g;
            n++; ratioSum += ratio; kl1 += -d; kl2 += 0.5 * d * d;
            rMin = Math.Min(rMin, ratio); rMax = Math.Max(rMax, ratio);
        }
        if (n == 0) return new PolicyLossResult(0, grad, 0, 0, 0, 0, 1, 1, 1);
        return new PolicyLossResult(loss, grad, clipped / (double)n, dual / (double)n, kl1 / n, kl2 / n, ratioSum / n, rMin, rMax);
    }
}
