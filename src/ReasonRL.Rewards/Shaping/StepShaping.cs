// StepShaping: the pure functions that turn learned step scores s_1..s_K (PRM outputs) into step
// rewards placed on the step-end tokens e_k. Each is a few lines with its formula in the doc comment.
// Not the composition with success/ORM (Composition/RewardComposer) and not scoring (sources).
// References: docs/reward-methods.md §3.1–3.3 (Gao et al. 2410.15115: Clip, Delta, Clip-Delta),
// §6.1 (PURE 2504.15275 min-form), §6.3 (PAR 2502.18770), §2.3 (ORM term).
//
// Conventions: s is [K] raw scores, the result is [K] step rewards; K = 0 gives []. Non-finite scores
// are rejected (a NaN would silently poison every later return).
namespace ReasonRL.Rewards.Shaping;

public static class StepShaping
{
    /// <summary>Dispatches on <see cref="ShapingOptions.Kind"/>.</summary>
    public static double[] Shape(ReadOnlySpan<double> scores, ShapingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        RequireFinite(scores);
        return options.Kind switch
        {
            ShapingKind.Raw => Raw(scores, options.Alpha),
            ShapingKind.Clip => Clip(scores, options.Alpha, options.Eta),
            ShapingKind.Delta => Delta(scores, options.Alpha, options.LastStep),
            ShapingKind.ClipDelta => ClipDelta(scores, options.Alpha, options.Eta, options.LastStep),
            ShapingKind.MinForm => MinForm(scores, options.Alpha, options.Temperature),
            ShapingKind.Par => Par(scores, options.Alpha, options.ParReferencesOrEta),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Kind, "unknown shaping kind"),
        };
    }

    /// <summary>Raw: ρ_k = α·s_k. Learned return Σ_k ρ_k grows with every step the PRM likes (§2.5).</summary>
    public static double[] Raw(ReadOnlySpan<double> scores, double alpha)
    {
        var r = new double[scores.Length];
        for (var k = 0; k < r.Length; k++) r[k] = alpha * scores[k];
        return r;
    }

    /// <summary>Clip: c_k = min(α·(s_k − η), 0). Every term ≤ 0 (for α ≥ 0), so Σ_k c_k ≤ 0 whatever K (§3.1).</summary>
    public static double[] Clip(ReadOnlySpan<double> scores, double alpha, double eta)
    {
        var c = new double[scores.Length];
        for (var k = 0; k < c.Length; k++) c[k] = Math.Min(alpha * (scores[k] - eta), 0.0);
        return c;
    }

    /// <summary>Delta: d_k = ρ_k − ρ_{k+1} for k &lt; K with ρ = α·s; d_K = ρ_K (Keep) or 0 (Zero).
    /// Telescoping: Σ_{j≥k} d_j = ρ_k (Keep) or ρ_k − ρ_K (Zero), independent of how many steps follow (§3.2).</summary>
    public static double[] Delta(ReadOnlySpan<double> scores, double alpha, DeltaLastStep lastStep) =>
        DeltaOf(Raw(scores, alpha), lastStep);

    /// <summary>Clip-Delta: cd_k = c_k − c_{k+1}, cd_K = c_K (Keep) or 0 (Zero), with c = Clip(s).
    /// Σ_k cd_k = c_1 ∈ [min(α(s_1 − η), 0), 0] (Keep) (§3.3).</summary>
    public static double[] ClipDelta(ReadOnlySpan<double> scores, double alpha, double eta, DeltaLastStep lastStep) =>
        DeltaOf(Clip(scores, alpha, eta), lastStep);

    /// <summary>The Delta transform of an already-scaled sequence ρ: d_k = ρ_k − ρ_{k+1}, d_K by rule.</summary>
    public static double[] DeltaOf(ReadOnlySpan<double> rho, DeltaLastStep lastStep)
    {
        var d = new double[rho.Length];
        for (var k = 0; k + 1 < d.Length; k++) d[k] = rho[k] - rho[k + 1];
        if (d.Length > 0) d[^1] = lastStep == DeltaLastStep.Keep ? rho[^1] : 0.0;
        return d;
    }

    /// <summary>PURE soft min-form: w_k = exp(−s_k/T) / Σ_j exp(−s_j/T), r*_k = α·w_k·s_k.
    /// As T → 0 the return Σ_k r*_k → α·min_k s_k (§6.1). The softmax subtracts the max logit
    /// (max of −s/T, i.e. the min score) before exponentiating so small T cannot overflow.</summary>
    public static double[] MinForm(ReadOnlySpan<double> scores, double alpha, double temperature)
    {
        var weights = SoftMinWeights(scores, temperature);
        for (var k = 0; k < weights.Length; k++) weights[k] = alpha * weights[k] * scores[k];
        return weights;
    }

    /// <summary>w = softmax(−s/T) over the K steps of one response; Σ_k w_k = 1 for K ≥ 1.</summary>
    public static double[] SoftMinWeights(ReadOnlySpan<double> scores, double temperature)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "min-form temperature must be > 0");
        var w = new double[scores.Length];
        if (w.Length == 0) return w;
        var maxLogit = double.NegativeInfinity;
        for (var k = 0; k < w.Length; k++) maxLogit = Math.Max(maxLogit, -scores[k] / temperature);
        var sum = 0.0;
        for (var k = 0; k < w.Length; k++)
        {
            w[k] = Math.Exp(-scores[k] / temperature - maxLogit);
            sum += w[k];
        }
        for (var k = 0; k < w.Length; k++) w[k] /= sum;
        return w;
    }

    /// <summary>Strict min-form return-to-go G_k = α·min_{j≥k} s_j (§6.1), for diagnostics and tests.</summary>
    public static double[] StrictMinReturns(ReadOnlySpan<double> scores, double alpha)
    {
        var g = new double[scores.Length];
        var running = double.PositiveInfinity;
        for (var k = g.Length - 1; k >= 0; k--)
        {
            running = Math.Min(running, scores[k]);
            g[k] = alpha * running;
        }
        return g;
    }

    /// <summary>PAR per step: p_k = α·(1/M)·Σ_m σ(s_k − ref_m), in (0, α). Bounded per step but still
    /// positive, so the sum over steps is farmable like Raw; it is meant for the ORM term (§6.3).</summary>
    public static double[] Par(ReadOnlySpan<double> scores, double alpha, IReadOnlyList<double> references)
    {
        var p = new double[scores.Length];
        for (var k = 0; k < p.Length; k++) p[k] = alpha * ParScore(scores[k], references);
        return p;
    }

    /// <summary>PAR of one sequence-level score: (1/M)·Σ_m σ(k·(r − ref_m)) with k = 1 (§6.3).</summary>
    public static double ParScore(double score, IReadOnlyList<double> references)
    {
        ArgumentNullException.ThrowIfNull(references);
        if (references.Count == 0) throw new ArgumentException("PAR needs at least one reference score", nameof(references));
        var sum = 0.0;
        foreach (var reference in references) sum += Sigmoid(score - reference);
        return sum / references.Count;
    }

    /// <summary>ORM combination term added on the final token: α_orm·ORM(q, s) (§2.3), optionally PAR-shaped.</summary>
    public static double OrmTerm(double ormScore, double alpha, IReadOnlyList<double>? parReferences = null)
    {
        if (!double.IsFinite(ormScore)) throw new ArgumentException($"ORM score must be finite, got {ormScore}", nameof(ormScore));
        return parReferences is { Count: > 0 } ? alpha * ParScore(ormScore, parReferences) : alpha * ormScore;
    }

    /// <summary>Return-to-go over step rewards: G_k = Σ_{j≥k} r_j (γ = 1).</summary>
    public static double[] ReturnsToGo(ReadOnlySpan<double> stepRewards)
    {
        var g = new double[stepRewards.Length];
        var acc = 0.0;
        for (var k = g.Length - 1; k >= 0; k--)
        {
            acc += stepRewards[k];
            g[k] = acc;
        }
        return g;
    }

    /// <summary>Learned return Σ_k r_k (what the first token sees from the learned reward, γ = 1).</summary>
    public static double LearnedReturn(ReadOnlySpan<double> stepRewards)
    {
        var sum = 0.0;
        foreach (var r in stepRewards) sum += r;
        return sum;
    }

    private static double Sigmoid(double x) => x >= 0 ? 1.0 / (1.0 + Math.Exp(-x)) : Math.Exp(x) / (1.0 + Math.Exp(x));

    private static void RequireFinite(ReadOnlySpan<double> scores)
    {
        for (var k = 0; k < scores.Length; k++)
        {
            if (!double.IsFinite(scores[k])) throw new ArgumentException($"step score {k} is {scores[k]}; scores must be finite", nameof(scores));
        }
    }
}
