// VerifyResult: everything one Verify call found, for rewards, logs and the CLI. Not mutable and
// not a score. Normalized* are the canonical prints of the parsed answers (null when unparsed).
namespace ReasonRL.Verifier;

/// <summary>Result of <see cref="MathVerifier.Verify"/>.</summary>
public sealed record VerifyResult
{
    /// <summary>Correct, Incorrect or Unverifiable.</summary>
    public Verdict Verdict { get; init; }

    /// <summary>The answer extracted from the solution (null when none was found).</summary>
    public string? ExtractedAnswer { get; init; }

    /// <summary>The answer extracted from (or equal to) the gold string.</summary>
    public string? ExtractedGold { get; init; }

    /// <summary>Canonical print of the parsed prediction, e.g. "1/3" for "\dfrac{1}{3}".</summary>
    public string? NormalizedAnswer { get; init; }

    /// <summary>Canonical print of the parsed gold answer.</summary>
    public string? NormalizedGold { get; init; }

    /// <summary>Why: which rule decided, or why the call was Unverifiable.</summary>
    public string? Reason { get; init; }

    /// <summary>Wall-clock time of the call.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Work steps the call charged (deterministic; compare with VerifyOptions.WorkBudget).</summary>
    public long WorkSpent { get; init; }
}
