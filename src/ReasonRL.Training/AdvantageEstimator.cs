// AdvantageEstimator: the names of the advantage estimators and their one-line descriptions, so a
// CLI (`reasonrl train --help`) and the config validator can list them.
// What it is not: the math (see Advantages.cs).
// Reference: docs/reward-methods.md §7.1–7.2.
namespace ReasonRL.Training;

/// <summary>Which advantage estimator the trainer uses.</summary>
public enum AdvantageEstimator
{
    /// <summary>PPO with GAE(γ, λ) over token rewards and critic values.</summary>
    Gae,
    /// <summary>GRPO: (S_i − mean_g S) / (std_g S + ε).</summary>
    Grpo,
    /// <summary>Dr. GRPO: S_i − mean_g S.</summary>
    DrGrpo,
    /// <summary>RLOO: S_i − mean of the other responses of the group.</summary>
    Rloo,
    /// <summary>REINFORCE++: discounted reward-to-go (KL in the reward), whitened over the batch.</summary>
    ReinforcePlusPlus,
}

/// <summary>Names and descriptions of the estimators, in config spelling.</summary>
public static class AdvantageEstimators
{
    /// <summary>(config name, estimator, one-line description) for every estimator.</summary>
    public static IReadOnlyList<(string Name, AdvantageEstimator Value, string Description)> All { get; } =
    [
        ("gae", AdvantageEstimator.Gae, "PPO + GAE(γ, λ) with a critic; per-token advantages, whitened"),
        ("grpo", AdvantageEstimator.Grpo, "group-relative: (S_i − mean_g) / (std_g + ε), S_i = summed token rewards"),
        ("dr_grpo", AdvantageEstimator.DrGrpo, "Dr. GRPO: S_i − mean_g (no std division)"),
        ("rloo", AdvantageEstimator.Rloo, "leave-one-out baseline: S_i − mean of the other n−1 in the group"),
        ("reinforce_pp", AdvantageEstimator.ReinforcePlusPlus, "REINFORCE++: γ reward-to-go, KL in reward, batch whitening"),
    ];

    /// <summary>Parses a config name; false when unknown.</summary>
    public static bool TryParse(string name, out AdvantageEstimator value)
    {
        foreach (var (n, v, _) in All)
            if (string.Equals(n, name, StringComparison.OrdinalIgnoreCase)) { value = v; return true; }
        value = default;
        return false;
    }

    /// <summary>The config name of <paramref name="value"/>.</summary>
    public static string NameOf(AdvantageEstimator value)
    {
        foreach (var (n, v, _) in All)
            if (v == value) return n;
        throw new ArgumentOutOfRangeException(nameof(value), value, "unknown estimator");
    }
}
