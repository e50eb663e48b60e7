// RolloutBatch: the typed contract between the experience maker, the advantage estimators and the
// losses. B responses, each padded to T response tokens; every per-token array is row-major [B, T]
// (index b*T + t) and only positions with Mask = true are real tokens.
// What it is not: a tensor type or a generator; it holds numbers produced elsewhere, in double so
// that the pure estimator/loss functions can be finite-difference tested (the engine converts).
// References: docs/conventions.md §18; OpenRLHF `Experience`, verl `DataProto` batch keys.
namespace ReasonRL.Training;

/// <summary>One batch of rollouts, fields grouped as trajectory / log-probs / values / outcome / metadata.</summary>
public sealed record RolloutBatch
{
    // ---- trajectory ----
    /// <summary>Number of responses B.</summary>
    public required int BatchSize { get; init; }
    /// <summary>Max response tokens T (padding length).</summary>
    public required int MaxTokens { get; init; }
    /// <summary>[B, T] true where the position is a real response token.</summary>
    public required bool[] Mask { get; init; }

    // ---- policy log-probs ----
    /// <summary>[B, T] log π_old(y_t) of the sampling policy.</summary>
    public required double[] OldLogProbs { get; init; }
    /// <summary>[B, T] log π_ref(y_t) of the frozen reference policy; null when no KL is used.</summary>
    public double[]? RefLogProbs { get; init; }

    // ---- values (critic) ----
    /// <summary>[B, T] critic values V(s_t) at sampling time; null for critic-free estimators.</summary>
    public double[]? Values { get; init; }
    /// <summary>[B] value after the last token, used by GAE only for truncated responses (else 0).</summary>
    public double[]? BootstrapValues { get; init; }

    // ---- outcome ----
    /// <summary>[B, T] token rewards (dense process rewards at step ends, outcome on the last token,
    /// and −β·KL when the KL is placed in the reward).</summary>
    public required double[] TokenRewards { get; init; }
    /// <summary>[B] true when the response hit the length limit without EOS.</summary>
    public required bool[] Truncated { get; init; }

    // ---- metadata ----
    /// <summary>[B] index of the prompt group each response belongs to (group estimators).</summary>
    public required int[] GroupIndex { get; init; }

    /// <summary>Checks every array length against B and T; throws naming the field and expected length.</summary>
    public void Validate()
    {
        if (BatchSize < 1 || MaxTokens < 1)
            throw new ArgumentException($"RolloutBatch: BatchSize and MaxTokens must be ≥ 1, got B={BatchSize}, T={MaxTokens}.");
        int bt = BatchSize * MaxTokens;
        Check(nameof(Mask), Mask.Length, bt);
        Check(nameof(OldLogProbs), OldLogProbs.Length, bt);
        Check(nameof(TokenRewards), TokenRewards.Length, bt);
        Check(nameof(Truncated), Truncated.Length, BatchSize);
        Check(nameof(GroupIndex), GroupIndex.Length, BatchSize);
        if (RefLogProbs is not null) Check(nameof(RefLogProbs), RefLogProbs.Length, bt);
        if (Values is not null) Check(nameof(Values), Values.Length, bt);
        if (BootstrapValues is not null) Check(nameof(BootstrapValues), BootstrapValues.Length, BatchSize);
    }

    private void Check(string field, int actual, int expected)
    {
        if (actual != expected)
            throw new ArgumentException(
                $"RolloutBatch.{field}: length {actual}, expected {expected} (B={BatchSize}, T={MaxTokens}).");
    }
}
