// LossAggregation: how per-token losses l_{b,t} become one scalar. Every mode is linear,
// L = Σ_{b,t} w_{b,t}·l_{b,t}, so the backward pass of any loss is w ⊙ (d l / d x); Weights()
// returns w. Sequences with no valid token get weight 0 and are not counted.
//   token-mean              w = 1 / (total valid tokens)            (verl default; long responses weigh more)
//   seq-mean-token-sum      w = 1 / B'                              (B' = sequences with ≥ 1 token)
//   seq-mean-token-mean     w = 1 / (B'·n_b)                         (GRPO paper; every sequence weighs the same)
//   seq-mean-token-sum-norm w = 1 / (B'·T)                           (Dr. GRPO: constant max-length normaliser)
// What it is not: a loss.  Reference: docs/reward-methods.md §7.1 (verl loss_agg_mode).
namespace ReasonRL.Training;

/// <summary>Loss aggregation mode.</summary>
public enum LossAggregation
{
    /// <summary>Mean over all valid tokens of the batch.</summary>
    TokenMean,
    /// <summary>Sum over each sequence's tokens, mean over sequences.</summary>
    SeqMeanTokenSum,
    /// <summary>Mean over each sequence's tokens, mean over sequences.</summary>
    SeqMeanTokenMean,
    /// <summary>Sum over each sequence's tokens divided by T, mean over sequences.</summary>
    SeqMeanTokenSumNorm,
}

/// <summary>Aggregation weights.</summary>
public static class LossAggregations
{
    /// <summary>(config name, mode, description).</summary>
    public static IReadOnlyList<(string Name, LossAggregation Value, string Description)> All { get; } =
    [
        ("token-mean", LossAggregation.TokenMean, "mean over all valid tokens (token level)"),
        ("seq-mean-token-sum", LossAggregation.SeqMeanTokenSum, "sum per sequence, mean over sequences"),
        ("seq-mean-token-mean", LossAggregation.SeqMeanTokenMean, "mean per sequence, mean over sequences (sequence level)"),
        ("seq-mean-token-sum-norm", LossAggregation.SeqMeanTokenSumNorm, "sum per sequence / T, mean over sequences (Dr. GRPO)"),
    ];

    /// <summary>Weights w [B, T] with L = Σ w·l.</summary>
    public static double[] Weights(ReadOnlySpan<bool> mask, int b, int t, LossAggregation mode)
    {
        Advantages.RequireLength(mask.Length, b * t, "mask");
        var counts = new int[b];
        int total = 0, seqs = 0;
        for (int row = 0; row < b; row++)
        {
            for (int col = 0; col < t; col++) if (mask[row * t + col]) counts[row]++;
            total += counts[row];
            if (counts[row] > 0) seqs++;
        }
        var w = new double[b * t];
        if (total == 0) return w;
        for (int i = 0; i < w.Length; i++)
        {
            if (!mask[i]) continue;
            w[i] = mode switch
            {
                LossAggregation.TokenMean => 1.0 / total,
                LossAggregation.SeqMeanTokenSum => 1.0 / seqs,
                LossAggregation.SeqMeanTokenMean => 1.0 / ((double)seqs * counts[i / t]),
                LossAggregation.SeqMeanTokenSumNorm => 1.0 / ((double)seqs * t),
                _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, "unknown aggregation"),
            };
        }
        return w;
    }
}
