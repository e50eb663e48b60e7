// KlController: the KL coefficient β as a small strategy: fixed, or the adaptive controller of
// Ziegler et al. (2019) used by PPO-RLHF: β ← β·(1 + clip(KL/target − 1, −0.2, 0.2)·n_steps/horizon).
// What it is not: the estimator of KL itself (KlPenalty.cs).
// Reference: docs/reward-methods.md §7.3; arXiv 1909.08593 §2.2.
namespace ReasonRL.Training;

/// <summary>A KL coefficient that may adapt to the observed KL.</summary>
public interface IKlController
{
    /// <summary>Current β.</summary>
    double Beta { get; }

    /// <summary>Feeds the mean KL observed over <paramref name="steps"/> samples/steps.</summary>
    void Update(double observedKl, int steps);
}

/// <summary>β never changes.</summary>
public sealed class FixedKlController(double beta) : IKlController
{
    /// <inheritdoc/>
    public double Beta { get; } = beta >= 0 ? beta : throw new ArgumentOutOfRangeException(nameof(beta), beta, "KL coefficient must be ≥ 0");

    /// <inheritdoc/>
    public void Update(double observedKl, int steps) { }
}

/// <summary>Adaptive β: proportional error clipped to ±0.2, scaled by steps/horizon.</summary>
public sealed class AdaptiveKlController : IKlController
{
    /// <summary>Creates the controller.</summary>
    public AdaptiveKlController(double initialBeta, double target, double horizon)
    {
        if (initialBeta < 0) throw new ArgumentOutOfRangeException(nameof(initialBeta), initialBeta, "expected ≥ 0");
        if (target <= 0) throw new ArgumentOutOfRangeException(nameof(target), target, "expected > 0");
        if (horizon <= 0) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "expected > 0");
        Beta = initialBeta;
        Target = target;
        Horizon = horizon;
    }

    /// <inheritdoc/>
    public double Beta { get; private set; }

    /// <summary>Target KL.</summary>
    public double Target { get; }

    /// <summary>Horizon (samples/steps over which β may change by ~e^{±0.2}).</summary>
    public double Horizon { get; }

    /// <inheritdoc/>
    public void Update(double observedKl, int steps)
    {
        double error = Math.Clamp(observedKl / Target - 1.0, -0.2, 0.2);
        Beta *= 1.0 + error * steps / Horizon;
    }

    /// <summary>Restores β on resume.</summary>
    public void Restore(double beta) => Beta = beta;
}
