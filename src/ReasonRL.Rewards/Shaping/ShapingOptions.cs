// ShapingOptions: which transform turns learned step scores into step rewards, and its parameters
// (immutable; defaults commented with where they come from). Not the transforms (StepShaping).
// Reference: docs/reward-methods.md §3 (Clip, Delta, Clip-Delta), §6.1 (PURE min-form), §6.3 (PAR).
namespace ReasonRL.Rewards.Shaping;

/// <summary>Step-reward transform, chosen by enum + switch (docs/conventions.md §11).</summary>
public enum ShapingKind
{
    /// <summary>ρ_k = α·s_k (unbounded in K: the farmable baseline).</summary>
    Raw,
    /// <summary>c_k = min(α(s_k − η), 0).</summary>
    Clip,
    /// <summary>d_k = ρ_k − ρ_{k+1}; last step per <see cref="DeltaLastStep"/>.</summary>
    Delta,
    /// <summary>Delta applied to the clipped scores c_k.</summary>
    ClipDelta,
    /// <summary>PURE soft min-form: r*_k = w_k·α·s_k, w = softmax(−s/T).</summary>
    MinForm,
    /// <summary>PAR on each step: α·mean_m σ(s_k − ref_m).</summary>
    Par,
}

/// <summary>Last-step rule of Delta and Clip-Delta (docs/reward-methods.md §3.2).</summary>
public enum DeltaLastStep
{
    /// <summary>Option B (default): d_K = ρ_K, so the return-to-go of step k is ρ_k.</summary>
    Keep,
    /// <summary>Option A: d_K = 0, so the return-to-go of step k is ρ_k − ρ_K.</summary>
    Zero,
}

/// <summary>Shaping parameters.</summary>
/// <param name="Kind">The transform.</param>
/// <param name="Alpha">α, scale on the learned reward; e.g. 1.0 (the paper's value is not public, §2.6).</param>
/// <param name="Eta">η, clip threshold on PRM scores; e.g. 0.5 (§3.5's worked example; a high quantile
/// of initial-policy PRM scores in practice). Also the PAR centre when <paramref name="ParReferences"/> is empty.</param>
/// <param name="LastStep">Delta/Clip-Delta last-step rule; Keep (option B) by default.</param>
/// <param name="Temperature">T of PURE's soft-min weights; 0.1 is PURE's code default (§6.1).</param>
/// <param name="ParReferences">Reference scores r_ref^m for PAR; empty means the single reference η.</param>
public sealed record ShapingOptions(
    ShapingKind Kind,
    double Alpha = 1.0,
    double Eta = 0.5,
    DeltaLastStep LastStep = DeltaLastStep.Keep,
    double Temperature = 0.1,
    IReadOnlyList<double>? ParReferences = null)
{
    /// <summary>The PAR references in use: <see cref="ParReferences"/>, or [η] when none are given.</summary>
    public IReadOnlyList<double> ParReferencesOrEta => ParReferences is { Count: > 0 } r ? r : [Eta];

    /// <summary>The config spelling of a kind (raw, clip, delta, clip_delta, min_form, par).</summary>
    public static string NameOf(ShapingKind kind) => kind switch
    {
        ShapingKind.Raw => "raw",
        ShapingKind.Clip => "clip",
        ShapingKind.Delta => "delta",
        ShapingKind.ClipDelta => "clip_delta",
        ShapingKind.MinForm => "min_form",
        ShapingKind.Par => "par",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Every kind with its config spelling, in declaration order.</summary>
    public static IReadOnlyList<ShapingKind> AllKinds { get; } =
        [ShapingKind.Raw, ShapingKind.Clip, ShapingKind.Delta, ShapingKind.ClipDelta, ShapingKind.MinForm, ShapingKind.Par];

    /// <summary>Parses a config spelling; null when unknown.</summary>
    public static ShapingKind? TryParseKind(string name)
    {
        foreach (var kind in AllKinds)
        {
            if (string.Equals(NameOf(kind), name, StringComparison.Ordinal)) return kind;
        }
        return null;
    }

    /// <summary>Throws when a parameter is out of its domain (α finite and ≥ 0, η finite, T &gt; 0).</summary>
    public void Validate()
    {
        if (!double.IsFinite(Alpha) || Alpha < 0) throw new ArgumentException($"shaping alpha must be finite and ≥ 0, got {Alpha}");
        if (!double.IsFinite(Eta)) throw new ArgumentException($"shaping eta must be finite, got {Eta}");
        if (!(Temperature > 0) || !double.IsFinite(Temperature)) throw new ArgumentException($"shaping temperature must be > 0 and finite, got {Temperature}");
    }
}
