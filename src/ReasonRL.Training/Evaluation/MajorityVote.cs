// MajorityVote: maj@k's vote over the final answers extracted from k responses. Answers are grouped
// into clusters of equivalent answers — two answers are equivalent when their trimmed texts are equal
// or when MathVerifier judges one Correct against the other (both taken as bare answers, so "0.5",
// "\frac{1}{2}" and "1/2" vote together) — greedily: each answer joins the first cluster whose
// representative (its first member) it matches, else it opens a new cluster. The largest cluster
// wins; a tie goes to the cluster whose first member came earliest. Responses with no extracted answer
// do not vote. Not a grader: the winner's verdict is the verdict of its representative response.
using ReasonRL.Verifier;

namespace ReasonRL.Training.Evaluation;

/// <summary>The outcome of a vote.</summary>
/// <param name="Winner">Index (into the answers) of the winning cluster's first member, or −1 when no answer voted.</param>
/// <param name="Votes">Size of the winning cluster (0 when nobody voted).</param>
/// <param name="ClusterOf">[k] cluster id per answer (clusters numbered in order of first appearance), −1 for no answer.</param>
public sealed record VoteResult(int Winner, int Votes, int[] ClusterOf);

/// <summary>Majority vote over extracted answers.</summary>
public static class MajorityVote
{
    private static readonly VerifyOptions AnswerVsAnswer = VerifyOptions.Default with
    {
        Prediction = AnswerSource.Answer,
        Gold = AnswerSource.Answer,
    };

    /// <summary>The verifier-based equivalence: equal trimmed text, or <c>Verify(a, b)</c> is Correct with
    /// both strings taken as bare answers.</summary>
    public static bool Equivalent(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (string.Equals(a.Trim(), b.Trim(), StringComparison.Ordinal)) return true;
        return MathVerifier.Verify(a, b, AnswerVsAnswer).Verdict == Verdict.Correct;
    }

    /// <summary>Votes with the verifier equivalence.</summary>
    public static VoteResult Vote(IReadOnlyList<string?> answers) => Vote(answers, Equivalent);

    /// <summary>Votes with a given equivalence (member, representative) → same answer.</summary>
    public static VoteResult Vote(IReadOnlyList<string?> answers, Func<string, string, bool> equivalent)
    {
        ArgumentNullException.ThrowIfNull(answers);
        ArgumentNullException.ThrowIfNull(equivalent);
        var clusterOf = new int[answers.Count];
        var representatives = new List<int>();
        var sizes = new List<int>();
        for (int i = 0; i < answers.Count; i++)
        {
            string? answer = answers[i];
            if (string.IsNullOrWhiteSpace(answer))
            {
                clusterOf[i] = -1;
                continue;
            }
            int found = representatives.FindIndex(r => equivalent(answer, answers[r]!));
            if (found < 0)
            {
                found = representatives.Count;
                representatives.Add(i);
                sizes.Add(0);
            }
            clusterOf[i] = found;
            sizes[found]++;
        }
        int best = -1;
        for (int c = 0; c < sizes.Count; c++)
            if (best < 0 || sizes[c] > sizes[best]) best = c;   // strict: earlier cluster wins a tie
        return best < 0 ? new VoteResult(-1, 0, clusterOf) : new VoteResult(representatives[best], sizes[best], clusterOf);
    }
}
