// SuccessValues: the reward given for each verdict (immutable config). Not the verdict itself.
// Reference: docs/reward-methods.md §2.2 — Gao et al. read as {0, 1}; AReaL uses ±1 (×5); both must be expressible.
namespace ReasonRL.Rewards.Sources;

/// <param name="Correct">Reward for a correct final answer; e.g. 1.0.</param>
/// <param name="Incorrect">Reward for a wrong one; e.g. 0.0 (Gao et al. reading) or −1.0 (AReaL).</param>
/// <param name="Unverifiable">Reward when no verdict is possible; e.g. 0.0.</param>
public sealed record SuccessValues(double Correct = 1.0, double Incorrect = 0.0, double Unverifiable = 0.0)
{
    public static SuccessValues ZeroOne { get; } = new(1.0, 0.0, 0.0);

    public double ValueOf(SuccessVerdict verdict) => verdict switch
    {
        SuccessVerdict.Correct => Correct,
        SuccessVerdict.Incorrect => Incorrect,
        SuccessVerdict.Unverifiable => Unverifiable,
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };
}
