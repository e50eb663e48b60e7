// KlPenalty: per-token KL estimators between the policy and the frozen reference
// (d = logπ_θ(y_t) − logπ_ref(y_t)), their derivatives w.r.t. logπ_θ, and the two placements:
// in the reward (PPO, REINFORCE++: R_t ← R_t − β·KL_t on every valid token) or in the loss
// (GRPO: loss += β·agg_t KL_t with the chosen LossAggregation).
// What it is not: the β controller (KlController.cs).
// References: docs/reward-methods.md §7.3–7.4; http://joschu.net/blog/kl-approx.html;
// verl kl_penalty (k3 clamps).
namespace ReasonRL.Training;

/// <summary>Per-token KL estimator.</summary>
public enum KlEstimator
{
    /// <summary>k1 = d (unbiased, can be negative).</summary>
    K1,
    /// <summary>k2 = ½·d² (non-negative).</summary>
    K2,
    /// <summary>k3 = exp(−d) − 1 + d (non-negative, low variance; verl "low_var_kl").</summary>
    K3,
    /// <summary>|d| (verl "abs").</summary>
    Abs,
}

/// <summary>Where the KL term enters training.</summary>
public enum KlPlacement
{
    /// <summary>No KL term.</summary>
    None,
    /// <summary>Subtracted from the token rewards before advantages (PPO, REINFORCE++).</summary>
    InReward,
    /// <summary>Added to the policy loss (GRPO).</summary>
    InLoss,
}

/// <summary>KL estimators and placements.</summary>
public static class KlPenalty
{
    /// <summary>(config name, estimator, description) for every estimator.</summary>
    public static IReadOnlyList<(string Name, KlEstimator Value, string Description)> Estimators { get; } =
    [
        ("k1", KlEstimator.K1, "d = logπ − logπ_ref (unbiased, can be negative)"),
        ("k2", KlEstimator.K2, "½·d² (non-negative)"),
        ("k3", KlEstimator.K3, "exp(−d) − 1 + d (non-negative, low variance; -d clamped to ±20, result to ±10)"),
        ("abs", KlEstimator.Abs, "|d|"),
    ];

    /// <summary>(config name, placement, description) for every placement.</summary>
    public static IReadOnlyList<(string Name, KlPlacement Value, string Description)> Placements { get; } =
    [
        ("none", KlPlacement.None, "no KL term"),
        ("reward", KlPlacement.InReward, "R_t ← R_t − β·KL_t on every response token (PPO, REINFORCE++)"),
        ("loss", KlPlacement.InLoss, "loss += β·aggregate(KL_t) (GRPO)"),
    ];

    /// <summary>The KL estimate of one token.</summary>
    public static double Estimate(double logProb, double refLogProb, KlEstimator estimator)
    {
        double d = logProb - refLogProb;
        return estimator switch
        {
            KlEstimator.K1 => d,
            KlEstimator.K2 => 0.5 * d * d,
            KlEstimator.K3 => Math.Clamp(Math.Exp(Math.Clamp(-d, -20.0, 20.0)) - 1.0 + d, -10.0, 10.0),
            KlEstimator.Abs => Math.Abs(d),
            _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "unknown KL estimator"),
        };
    }

    /// <summary>d KL_t / d logπ_θ(y_t): k1 → 1, k2 → d, k3 → 1 − exp(−d) (0 where a clamp is active), abs → sign(d).</summary>
    public static double Derivative(double logProb, double refLogProb, KlEstimator estimator)
    {
        double d = logProb - refLogProb;
        switch (estimator)
        {
            case KlEstimator.K1: return 1.0;
            case KlEstimator.K2: return d;
            case KlEstimator.K3:
                {
                    double v = Math.Exp(Math.Clamp(-d, -20.0, 20.0)) - 1.0 + d;
                    if (v < -10.0 || v > 10.0) return 0.0;          // output clamp active: constant
                    if (-d < -20.0 || -d > 20.0) return 1.0;         // exp term clamped: only "+ d" varies
                    return 1.0 - Math.Exp(-d);
                }
            case KlEstimator.Abs: return Math.Sign(d);
            default: throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "unknown KL estimator");
        }
    }

    /// <summary>Per-token KL [B, T]; masked positions 0.</summary>
    public static double[] PerToken(ReadOnlySpan<double> logProbs, ReadOnlySpan<double> refLogProbs, ReadOnlySpan<bool> mask, KlEstimator estimator)
    {
        Advantages.RequireLength(refLogProbs.Length, logProbs.Length, "refLogProbs");
        Advantages.RequireLength(mask.Length, logProbs.Length, "mask");
        var kl = new double[logProbs.Length];
        for (int i = 0; i < kl.Length; i++) if (mask[i]) kl[i] = Estimate(logProbs[i], refLogProbs[i], estimator);
        return kl;
    }

    /// <summary>KL in the reward: returns <c>R_t − β·KL_t</c> on valid tokens (masked positions keep R_t, which should be 0).</summary>
    public static double[] ApplyToRewards(ReadOnlySpan<double> tokenRewards, ReadOnlySpan<double> klPerToken, ReadOnlySpan<bool> mask, double beta)
    {
        Advantages.RequireLength(klPerToken.Length, tokenRewards.Length, "klPerToken");
        Advantages.RequireLength(mask.Length, tokenRewards.Length, "mask");
        var r = tokenRewards.ToArray();
        for (int i = 0; i < r.Length; i++) if (mask[i]) r[i] -= beta * klPerToken[i];
        return r;
    }

    /// <summary>KL in the loss: forward <c>β·Σ w_t·KL_t</c> with aggregation weights w, and the gradient
    /// d/d logπ_θ = β·w_t·KL'_t per token.</summary>
    public static (double Loss, double[] Gradient) LossTerm(
        ReadOnlySpan<double> logProbs, ReadOnlySpan<double> refLogProbs, ReadOnlySpan<bool> mask,
        int b, int t, KlEstimator estimator, double beta, LossAggregation aggregation)
    {
        var w = LossAggregations.Weights(mask, b, t, aggregation);
        var grad = new double[b * t];
        double loss = 0;
        for (int i = 0; i < grad.Length; i++)
        {
            if (w[i] == 0) continue;
            loss += w[i] * Estimate(logProbs[i], refLogProbs[i], estimator);
            grad[i] = beta * w[i] * Derivative(logProbs[i], refLogProbs[i], estimator);
        }
        return (beta * loss, grad);
    }
}
