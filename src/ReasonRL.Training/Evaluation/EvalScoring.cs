// EvalScoring: a question's decision under each mode, from its graded (and, for bon@k, RM-scored)
// responses — which response is chosen, its answer, and the question's score:
//   greedy  chosen 0;                          score = 1 if it is correct
//   maj@k   MajorityVote over extracted answers; score = 1 if the winner's representative is correct
//   pass@k  no single choice (−1);             score = PassAtK.Estimate(n, c, k)
//   bon@k   BestOfN.Select over RmScore;        score = 1 if the chosen response is correct
// A mode that chooses nothing (no answer voted, no response scored) scores 0. Pure; no generation here.
namespace ReasonRL.Training.Evaluation;

/// <summary>A question's decision.</summary>
/// <param name="Chosen">Chosen response index, or −1.</param>
/// <param name="ChosenAnswer">Its extracted answer, or null.</param>
/// <param name="Votes">maj@k: size of the winning cluster; else null.</param>
/// <param name="CorrectCount">Responses graded correct.</param>
/// <param name="Score">Question score in [0, 1].</param>
public sealed record EvalDecision(int Chosen, string? ChosenAnswer, int? Votes, int CorrectCount, double Score);

/// <summary>Per-mode decisions.</summary>
public static class EvalScoring
{
    /// <summary>Decides with the verifier-based answer equivalence for maj@k.</summary>
    public static EvalDecision Decide(EvalMode mode, IReadOnlyList<EvalResponse> responses) =>
        Decide(mode, responses, MajorityVote.Equivalent);

    /// <summary>Decides with a given answer equivalence for maj@k.</summary>
    public static EvalDecision Decide(EvalMode mode, IReadOnlyList<EvalResponse> responses, Func<string, string, bool> equivalent)
    {
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(responses);
        if (responses.Count == 0) throw new ArgumentException("eval: a question needs at least one response", nameof(responses));
        int correct = responses.Count(r => r.IsCorrect);
        EvalDecision Pick(int chosen, int? votes) => chosen < 0
            ? new EvalDecision(-1, null, votes, correct, 0)
            : new EvalDecision(chosen, responses[chosen].Answer, votes, correct, responses[chosen].IsCorrect ? 1 : 0);
        switch (mode.Kind)
        {
            case EvalModeKind.Greedy:
                return Pick(0, null);
            case EvalModeKind.MajorityAtK:
                var vote = MajorityVote.Vote([.. responses.Select(r => r.Answer)], equivalent);
                return Pick(vote.Winner, vote.Votes);
            case EvalModeKind.PassAtK:
                if (responses.Count < mode.K) throw new ArgumentException($"eval: {mode} needs at least {mode.K} responses, got {responses.Count}", nameof(responses));
                return new EvalDecision(-1, null, null, correct, PassAtK.Estimate(responses.Count, correct, mode.K));
            case EvalModeKind.BestOfK:
                return Pick(BestOfN.Select([.. responses.Select(r => r.RmScore)]), null);
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode.Kind, "unknown eval mode");
        }
    }
}
