// Verdict: the three outcomes of MathVerifier.Verify. Not a score: reward shaping lives in
// ReasonRL.Rewards. Unverifiable always carries a reason (VerifyResult.Reason) so a trainer can
// tell "the grader could not decide" apart from "the answer is wrong".
namespace ReasonRL.Verifier;

/// <summary>Outcome of one verification.</summary>
public enum Verdict
{
    /// <summary>The extracted answer is equivalent to the gold answer.</summary>
    Correct,

    /// <summary>Both answers were understood and they differ (or no answer was found in the solution).</summary>
    Incorrect,

    /// <summary>The verifier could not decide (budget exhausted, unparseable gold, overflow); see Reason.</summary>
    Unverifiable,
}
