// SuccessJudge: the seam between the reward layer and answer verification. The success reward needs
// only a verdict per (response, gold); the verifier itself (ReasonRL.Verifier.MathVerifier, written on
// branch `math`) is plugged in through this delegate, so this project builds and tests without it.
// Not a verifier: nothing here extracts or compares answers.
namespace ReasonRL.Rewards.Sources;

/// <summary>Outcome of checking a final answer (mirrors ReasonRL.Verifier's Verdict).</summary>
public enum SuccessVerdict
{
    Correct,
    Incorrect,
    /// <summary>No answer could be extracted or compared (timeout, unparsable, no gold).</summary>
    Unverifiable,
}

/// <summary>One verdict with what the verifier extracted and why (for diagnostics).</summary>
public sealed record SuccessJudgement(SuccessVerdict Verdict, string? ExtractedAnswer = null, string? Reason = null);

/// <summary>Checks <paramref name="response"/>'s final answer against <paramref name="gold"/>.</summary>
public delegate SuccessJudgement SuccessJudge(string response, string gold);

/// <summary>Config spellings of verdicts (correct, incorrect, unverifiable).</summary>
public static class SuccessVerdicts
{
    public static string NameOf(SuccessVerdict verdict) => verdict switch
    {
        SuccessVerdict.Correct => "correct",
        SuccessVerdict.Incorrect => "incorrect",
        SuccessVerdict.Unverifiable => "unverifiable",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };

    public static SuccessVerdict? TryParse(string? name) => name switch
    {
        "correct" => SuccessVerdict.Correct,
        "incorrect" => SuccessVerdict.Incorrect,
        "unverifiable" => SuccessVerdict.Unverifiable,
        _ => null,
    };
}
