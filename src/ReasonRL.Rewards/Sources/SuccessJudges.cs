// SuccessJudges: the judges the CLI and the trainer can plug into SuccessJudge.
// Not a verifier: the real one is ReasonRL.Verifier's MathVerifier (branch `math`); until it is merged
// the only judge here refuses, so a success reward is never invented.
namespace ReasonRL.Rewards.Sources;

public static class SuccessJudges
{
    /// <summary>A judge that always throws: used where no verifier is built in. The SuccessSource turns
    /// the exception into a Failed score, and the offline scorer reports the line, so a missing verifier
    /// can never read as "incorrect" or 0.</summary>
    public static SuccessJudge Unavailable { get; } = (_, _) =>
        throw new InvalidOperationException("no answer verifier in this build; give the line a 'verdict' field to replay one");
}
