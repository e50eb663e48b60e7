// LearningRateSchedule: the learning rate at a trainer step — linear warm-up, then constant or cosine.
//   warm-up (s < W):  lr(s) = lr₀·(s + 1)/(W + 1)
//   constant:         lr(s) = lr₀
//   cosine:           p = (s − W)/(S − W) clamped to [0, 1],  lr(s) = lr₀·(m + (1 − m)·½·(1 + cos πp)),  m = MinLearningRateRatio
// The position is the trainer step, which the trainer state already captures, so a resume continues it.
// What it is not: an optimizer.
namespace ReasonRL.Training.Ppo;

/// <summary>Learning-rate schedule as a pure function of the step.</summary>
public static class LearningRateSchedule
{
    /// <summary>The schedule named "constant" or "cosine" (as flags and `--set` values spell it), or null for any other name.</summary>
    public static LearningRateScheduleKind? ParseKind(string name) => name switch
    {
        "constant" => LearningRateScheduleKind.Constant,
        "cosine" => LearningRateScheduleKind.Cosine,
        _ => null,
    };

    /// <summary>lr at 0-based step <paramref name="step"/> (see file header).</summary>
    public static double At(long step, double baseRate, LearningRateScheduleKind kind, int warmupSteps, int totalSteps, double minRatio)
    {
        if (step < warmupSteps) return baseRate * (step + 1) / (warmupSteps + 1);
        if (kind == LearningRateScheduleKind.Constant) return baseRate;
        double p = Math.Clamp((step - warmupSteps) / (double)Math.Max(1, totalSteps - warmupSteps), 0.0, 1.0);
        return baseRate * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.Cos(Math.PI * p)));
    }
}
