// ValueLoss: clipped critic loss with explicit backward.
//   V_clip = V_old + clip(V − V_old, −ε_v, +ε_v)
//   l_t    = ½·max( (V − ret)², (V_clip − ret)² )          L = Σ w_t·l_t
// Backward d L / d V(t) = w_t·(V − ret) where the unclipped term is the max (ties included);
// otherwise w_t·(V_clip − ret)·[|V − V_old| < ε_v] (the clipped value is constant outside the band).
// Diagnostics: clip fraction (clipped term strictly larger), mean squared error, explained variance
// 1 − Var(ret − V)/Var(ret) over valid tokens.
// What it is not: the policy loss.  Reference: docs/reward-methods.md §7.1; OpenRLHF ValueLoss.
namespace ReasonRL.Training;

/// <summary>Value loss result.</summary>
public sealed record ValueLossResult(double Loss, double[] Gradient, double ClipFraction, double MeanSquaredError, double ExplainedVariance);

/// <summary>Clipped value loss.</summary>
public static class ValueLoss
{
    /// <summary>Computes the loss; <paramref name="clip"/> null disables clipping (plain ½·MSE).</summary>
    public static ValueLossResult Compute(
        ReadOnlySpan<double> values, ReadOnlySpan<double> oldValues, ReadOnlySpan<double> returns,
        ReadOnlySpan<bool> mask, int b, int t, double? clip, LossAggregation aggregation)
    {
        Advantages.RequireLength(values.Length, b * t, "values");
        Advantages.RequireLength(oldValues.Length, b * t, "oldValues");
        Advantages.RequireLength(returns.Length, b * t, "returns");
        if (clip is < 0) throw new ArgumentOutOfRangeException(nameof(clip), clip, "value clip: expected ≥ 0");
        var w = LossAggregations.Weights(mask, b, t, aggregation);
        var grad = new double[b * t];
        double loss = 0, mse = 0, sumRet = 0, sumRes = 0;
        int n = 0, clipped = 0;
        for (int i = 0; i < grad.Length; i++)
        {
            if (!mask[i]) continue;
            double v = values[i], ret = returns[i];
            double e1 = v - ret, l = 0.5 * e1 * e1, g = e1;
            if (clip is { } eps)
            {
                double delta = v - oldValues[i];
                double vClip = oldValues[i] + Math.Clamp(delta, -eps, eps);
                double e2 = vClip - ret, l2 = 0.5 * e2 * e2;
                if (l2 > l) { l = l2; g = Math.Abs(delta) < eps ? e2 : 0.0; clipped++; }
            }
            loss += w[i] * l;
            grad[i] = w[i] * g;
            n++; mse += e1 * e1; sumRet += ret; sumRes += ret - v;
        }
        if (n == 0) return new ValueLossResult(0, grad, 0, 0, 0);
        double meanRet = sumRet / n, meanRes = sumRes / n, varRet = 0, varRes = 0;
        for (int i = 0; i < grad.Length; i++)
        {
            if (!mask[i]) continue;
            varRet += (returns[i] - meanRet) * (returns[i] - meanRet);
            double r = returns[i] - values[i] - meanRes;
            varRes += r * r;
        }
        double ev = varRet > 0 ? 1.0 - varRes / varRet : double.NaN;
        return new ValueLossResult(loss, grad, clipped / (double)n, mse / n, ev);
    }
}
