// NativeResults: builds the native protocol's per-sample result from the library's own diagnostics,
// so a server (`reasonrl serve`, or a test host) answers with exactly what the offline scorer computes.
// Not HTTP handling.
using ReasonRL.Rewards.Composition;

namespace ReasonRL.Rewards.Sources.Remote;

public static class NativeResults
{
    public static NativeResult From(RewardDiagnostics d)
    {
        ArgumentNullException.ThrowIfNull(d);
        return new NativeResult(
            d.Verdict is null ? null : SuccessVerdicts.NameOf(d.Verdict.Verdict),
            d.Success,
            d.Steps.Select(s => new NativeStep(s.Start, s.End)).ToArray(),
            d.RawStepScores,
            d.StepRewards,
            d.LearnedReturn,
            d.TotalReturn,
            null);
    }

    public static NativeResult Failure(string error) => new(null, null, null, null, null, null, null, error);
}
