// EvalMode: how `reasonrl eval` turns N sampled responses per question into one score —
//   greedy   one temperature-0 response; score = 1 when it is Correct;
//   maj@k    k samples, majority vote over their extracted answers (MajorityVote); score = the
//            winning answer's verdict;
//   pass@k   n ≥ k samples (n = k by default); score = the unbiased pass@k estimate (PassAtK);
//   bon@k    k samples, the one a reward model ranks highest (BestOfN); score = its verdict.
// Not the sampler settings (EvalOptions) and not the scoring itself.
using System.Globalization;

namespace ReasonRL.Training.Evaluation;

/// <summary>The scoring rule.</summary>
public enum EvalModeKind
{
    /// <summary>One greedy response.</summary>
    Greedy,

    /// <summary>Majority vote over k samples.</summary>
    MajorityAtK,

    /// <summary>Any of k correct (unbiased estimator when n &gt; k).</summary>
    PassAtK,

    /// <summary>Best of k by a reward model.</summary>
    BestOfK,
}

/// <summary>A scoring rule with its k.</summary>
/// <param name="Kind">The rule.</param>
/// <param name="K">k (1 for greedy).</param>
public sealed record EvalMode(EvalModeKind Kind, int K)
{
    /// <summary>The greedy mode.</summary>
    public static EvalMode Greedy { get; } = new(EvalModeKind.Greedy, 1);

    /// <summary>True when responses are sampled (every mode but greedy).</summary>
    public bool Samples => Kind != EvalModeKind.Greedy;

    /// <summary>Parses "greedy", "maj@k", "pass@k" or "bon@k" (k ≥ 1).</summary>
    public static EvalMode Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string t = text.Trim().ToLowerInvariant();
        if (t == "greedy") return Greedy;
        int at = t.IndexOf('@', StringComparison.Ordinal);
        if (at > 0 && int.TryParse(t.AsSpan(at + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int k) && k >= 1)
        {
            switch (t[..at])
            {
                case "maj": return new EvalMode(EvalModeKind.MajorityAtK, k);
                case "pass": return new EvalMode(EvalModeKind.PassAtK, k);
                case "bon": return new EvalMode(EvalModeKind.BestOfK, k);
            }
        }
        throw new ArgumentException($"unknown eval mode \"{text}\"; expected greedy, maj@k, pass@k or bon@k with k >= 1 (e.g. maj@8)", nameof(text));
    }

    /// <summary>"greedy", "maj@8", "pass@4", "bon@16".</summary>
    public override string ToString() => Kind switch
    {
        EvalModeKind.Greedy => "greedy",
        EvalModeKind.MajorityAtK => $"maj@{K}",
        EvalModeKind.PassAtK => $"pass@{K}",
        EvalModeKind.BestOfK => $"bon@{K}",
        _ => Kind.ToString(),
    };
}
