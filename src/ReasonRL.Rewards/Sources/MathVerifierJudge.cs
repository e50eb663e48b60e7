// MathVerifierJudge: plugs ReasonRL.Verifier's MathVerifier into the SuccessJudge seam (verdicts map
// one to one). Not a verifier of its own: extraction, parsing and equivalence are all MathVerifier's.
using ReasonRL.Verifier;

namespace ReasonRL.Rewards.Sources;

public static class MathVerifierJudge
{
    /// <summary>A judge calling <see cref="MathVerifier.Verify"/> with <paramref name="options"/>
    /// (null = VerifyOptions.Default). MathVerifier never throws; budget overruns come back Unverifiable.</summary>
    public static SuccessJudge Create(VerifyOptions? options = null) => (response, gold) =>
    {
        var result = MathVerifier.Verify(response, gold, options);
        return new SuccessJudgement(Map(result.Verdict), result.ExtractedAnswer, result.Reason);
    };

    public static SuccessVerdict Map(Verdict verdict) => verdict switch
    {
        Verdict.Correct => SuccessVerdict.Correct,
        Verdict.Incorrect => SuccessVerdict.Incorrect,
        Verdict.Unverifiable => SuccessVerdict.Unverifiable,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "unknown verdict"),
    };
}
