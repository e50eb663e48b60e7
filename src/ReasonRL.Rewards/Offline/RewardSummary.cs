// RewardSummary: batch aggregates of RewardDiagnostics under one shaping — the table the offline
// scorer prints and the hacking diagnostics of docs/reward-methods.md §4 (mean steps, repeated-step rate,
// learned return vs success, density of non-zero process terms). Not per-sample data.
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Sources;

namespace ReasonRL.Rewards.Offline;

/// <param name="Label">Shaping name (e.g. clip_delta) or "none".</param>
/// <param name="Scored">Samples aggregated.</param>
/// <param name="MeanSuccess">Mean r_succ.</param>
/// <param name="Accuracy">Fraction with verdict Correct.</param>
/// <param name="MeanLearnedReturn">Mean Σ_k shaped step rewards.</param>
/// <param name="MeanTotalReturn">Mean G_1.</param>
/// <param name="MeanSteps">Mean K.</param>
/// <param name="RepeatedStepRate">Σ repeated steps / Σ steps (0 when there are no steps).</param>
/// <param name="NonZeroStepRewardRate">Σ non-zero shaped step rewards / Σ steps.</param>
public sealed record RewardSummary(
    string Label, int Scored, double MeanSuccess, double Accuracy, double MeanLearnedReturn,
    double MeanTotalReturn, double MeanSteps, double RepeatedStepRate, double NonZeroStepRewardRate)
{
    public static RewardSummary Of(string label, IReadOnlyList<RewardDiagnostics> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var n = samples.Count;
        if (n == 0) return new RewardSummary(label, 0, 0, 0, 0, 0, 0, 0, 0);
        double success = 0, correct = 0, learned = 0, total = 0;
        long steps = 0, repeated = 0, nonZero = 0;
        foreach (var d in samples)
        {
            success += d.Success;
            if (d.Verdict?.Verdict == SuccessVerdict.Correct) correct++;
            learned += d.LearnedReturn;
            total += d.TotalReturn;
            steps += d.StepCount;
            repeated += d.RepeatedStepCount;
            foreach (var r in d.StepRewards) if (r != 0.0) nonZero++;
        }
        return new RewardSummary(label, n, success / n, correct / n, learned / n, total / n, (double)steps / n,
            steps == 0 ? 0 : (double)repeated / steps, steps == 0 ? 0 : (double)nonZero / steps);
    }
}
