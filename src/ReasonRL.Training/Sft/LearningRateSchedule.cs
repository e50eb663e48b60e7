// LearningRateSchedule: linear warmup then cosine decay to a floor — the schedule of SFT (and any
// trainer that wants it). Pure function of the update index; no state, so a resumed run gets the
// same rate from the step count alone.
// What it is not: the optimizer (AdamWOptimizer takes the rate through its Options each update).
namespace ReasonRL.Training.Sft;

/// <summary>Warmup + cosine learning-rate schedule.</summary>
public static class LearningRateSchedule
{
    /// <summary>
    /// Rate of update <paramref name="step"/> (0-based):
    /// warmup (s &lt; W): lr · (s + 1) / W;
    /// then, with p = (s − W) / max(1, S − W) clamped to [0, 1]:
    /// lr · (r + (1 − r) · ½ (1 + cos(π p))) where r = <paramref name="minRatio"/>.
    /// <paramref name="totalSteps"/> S = 0 means no decay (constant lr after warmup).
    /// </summary>
    public static double At(long step, double peak, int warmupSteps, int totalSteps, double minRatio)
    {
        if (step < warmupSteps) return peak * (step + 1) / warmupSteps;
        if (totalSteps <= 0) return peak;
        double p = (double)(step - warmupSteps) / System.Math.Max(1, totalSteps - warmupSteps);
        p = System.Math.Clamp(p, 0, 1);
        return peak * (minRatio + (1 - minRatio) * 0.5 * (1 + System.Math.Cos(System.Math.PI * p)));
    }
}
