// Advantages: advantage estimators as pure static functions over masked [B, T] row-major spans.
// Every function allocates its result and never mutates its inputs. Masks may have holes: masked
// positions are skipped (GAE/reward-to-go recurse over the valid tokens of a row only) and get 0.
// Dense rewards work with every estimator: the group estimators (GRPO, Dr. GRPO, RLOO) use each
// response's SUMMED token reward S_i = Σ_t R_{i,t} as its score and broadcast the sequence
// advantage to all of the response's tokens; GAE and REINFORCE++ use the token rewards directly.
// What it is not: the scalar loop reference (AdvantagesReference.cs) or the KL (KlPenalty.cs).
// References: docs/reward-methods.md §7.1–7.2; verl core_algos.py; OpenRLHF
// experience_maker.py (formulas re-derived, no code copied).
namespace ReasonRL.Training;

/// <summary>Options for <see cref="Advantages.Compute"/>.</summary>
/// <param name="Gamma">Discount γ (GAE, REINFORCE++). Default 1.</param>
/// <param name="Lambda">GAE λ. Default 1 (ReaLHF default; OpenRLHF uses 0.95).</param>
/// <param name="Whiten">Whiten GAE advantages over valid tokens (OpenRLHF/verl/ReaLHF do).</param>
/// <param name="GroupEpsilon">ε added to the group std in GRPO (verl 1e-6).</param>
public sealed record AdvantageOptions(double Gamma = 1.0, double Lambda = 1.0, bool Whiten = true, double GroupEpsilon = 1e-6);

/// <summary>Per-token advantages [B, T] and, for GAE, returns [B, T] (critic targets).</summary>
public sealed record AdvantageResult(double[] Advantages, double[]? Returns);

/// <summary>Advantage estimators.</summary>
public static class Advantages
{
    /// <summary>Dispatches on <paramref name="estimator"/> for a validated batch.</summary>
    public static AdvantageResult Compute(AdvantageEstimator estimator, RolloutBatch batch, AdvantageOptions options)
    {
        batch.Validate();
        int b = batch.BatchSize, t = batch.MaxTokens;
        switch (estimator)
        {
            case AdvantageEstimator.Gae:
                {
                    var values = batch.Values ?? throw new ArgumentException("Advantages: estimator 'gae' needs RolloutBatch.Values (a critic), got null.");
                    var boot = BootstrapFor(batch);
                    var (adv, ret) = Gae(batch.TokenRewards, values, batch.Mask, boot, b, t, options.Gamma, options.Lambda);
                    return new AdvantageResult(options.Whiten ? Whiten(adv, batch.Mask) : adv, ret);
                }
            case AdvantageEstimator.Grpo:
                return new AdvantageResult(Broadcast(Grpo(SequenceScores(batch.TokenRewards, batch.Mask, b, t), batch.GroupIndex, options.GroupEpsilon), batch.Mask, b, t), null);
            case AdvantageEstimator.DrGrpo:
                return new AdvantageResult(Broadcast(DrGrpo(SequenceScores(batch.TokenRewards, batch.Mask, b, t), batch.GroupIndex), batch.Mask, b, t), null);
            case AdvantageEstimator.Rloo:
                return new AdvantageResult(Broadcast(Rloo(SequenceScores(batch.TokenRewards, batch.Mask, b, t), batch.GroupIndex), batch.Mask, b, t), null);
            case AdvantageEstimator.ReinforcePlusPlus:
                return new AdvantageResult(ReinforcePlusPlus(batch.TokenRewards, batch.Mask, b, t, options.Gamma), null);
            default:
                throw new ArgumentOutOfRangeException(nameof(estimator), estimator, "unknown advantage estimator");
        }
    }

    private static double[] BootstrapFor(RolloutBatch batch)
    {
        var boot = new double[batch.BatchSize];
        for (int i = 0; i < boot.Length; i++)
            boot[i] = batch.Truncated[i] && batch.BootstrapValues is not null ? batch.BootstrapValues[i] : 0.0;
        return boot;
    }

    /// <summary>
    /// GAE over the valid tokens of each row, processed column by column for all rows at once:
    /// <c>δ_t = R_t + γ·V_{t+1} − V_t</c>, <c>A_t = δ_t + γλ·A_{t+1}</c>, <c>returns_t = A_t + V_t</c>,
    /// where t+1 is the next VALID token of the row; after the last valid token V = bootstrap[b]
    /// (0 when EOS was reached; the caller passes the critic's value only for truncated rows) and A = 0.
    /// </summary>
    public static (double[] Advantages, double[] Returns) Gae(
        ReadOnlySpan<double> rewards, ReadOnlySpan<double> values, ReadOnlySpan<bool> mask,
        ReadOnlySpan<double> bootstrap, int b, int t, double gamma, double lambda)
    {
        RequireLength(rewards.Length, b * t, "rewards");
        RequireLength(values.Length, b * t, "values");
        RequireLength(mask.Length, b * t, "mask");
        RequireLength(bootstrap.Length, b, "bootstrap");
        var adv = new double[b * t];
        var ret = new double[b * t];
        var nextValue = bootstrap.ToArray();
        var nextAdv = new double[b];
        for (int col = t - 1; col >= 0; col--)
        {
            for (int row = 0; row < b; row++)
            {
                int i = row * t + col;
                if (!mask[i]) continue;
                double delta = rewards[i] + gamma * nextValue[row] - values[i];
                double a = delta + gamma * lambda * nextAdv[row];
                adv[i] = a;
                ret[i] = a + values[i];
                nextAdv[row] = a;
                nextValue[row] = values[i];
            }
        }
        return (adv, ret);
    }

    /// <summary>Whitening over valid tokens: <c>(x − mean) / (std + 1e-8)</c>, std unbiased (n−1)
    /// as verl's masked_whiten; masked positions stay 0. With fewer than 2 valid tokens only the mean is removed.</summary>
    public static double[] Whiten(ReadOnlySpan<double> x, ReadOnlySpan<bool> mask, double epsilon = 1e-8)
    {
        RequireLength(mask.Length, x.Length, "mask");
        double sum = 0; int n = 0;
        for (int i = 0; i < x.Length; i++) if (mask[i]) { sum += x[i]; n++; }
        var result = new double[x.Length];
        if (n == 0) return result;
        double mean = sum / n, ss = 0;
        for (int i = 0; i < x.Length; i++) if (mask[i]) { double d = x[i] - mean; ss += d * d; }
        double scale = n > 1 ? 1.0 / (Math.Sqrt(ss / (n - 1)) + epsilon) : 1.0;
        for (int i = 0; i < x.Length; i++) if (mask[i]) result[i] = (x[i] - mean) * scale;
        return result;
    }

    /// <summary>Sequence scores <c>S_b = Σ_t mask·R_{b,t}</c> (dense rewards are summed).</summary>
    public static double[] SequenceScores(ReadOnlySpan<double> rewards, ReadOnlySpan<bool> mask, int b, int t)
    {
        RequireLength(rewards.Length, b * t, "rewards");
        RequireLength(mask.Length, b * t, "mask");
        var s = new double[b];
        for (int row = 0; row < b; row++)
            for (int col = 0; col < t; col++)
                if (mask[row * t + col]) s[row] += rewards[row * t + col];
        return s;
    }

    /// <summary>GRPO: <c>A_i = (S_i − mean_g S) / (std_g S + ε)</c>, unbiased std (n−1) as verl;
    /// a group of one gets 0 (no contrast).</summary>
    public static double[] Grpo(ReadOnlySpan<double> scores, ReadOnlySpan<int> groups, double epsilon = 1e-6)
    {
        var stats = GroupStats(scores, groups);
        var a = new double[scores.Length];
        for (int i = 0; i < a.Length; i++)
        {
            var (n, mean, ss) = stats[groups[i]];
            a[i] = n < 2 ? 0.0 : (scores[i] - mean) / (Math.Sqrt(ss / (n - 1)) + epsilon);
        }
        return a;
    }

    /// <summary>Dr. GRPO: <c>A_i = S_i − mean_g S</c>.</summary>
    public static double[] DrGrpo(ReadOnlySpan<double> scores, ReadOnlySpan<int> groups)
    {
        var stats = GroupStats(scores, groups);
        var a = new double[scores.Length];
        for (int i = 0; i < a.Length; i++) a[i] = scores[i] - stats[groups[i]].Mean;
        return a;
    }

    /// <summary>RLOO: <c>A_i = S_i − (1/(n−1))·Σ_{j≠i} S_j = n/(n−1)·(S_i − mean_g S)</c>; a group of one gets 0.</summary>
    public static double[] Rloo(ReadOnlySpan<double> scores, ReadOnlySpan<int> groups)
    {
        var stats = GroupStats(scores, groups);
        var a = new double[scores.Length];
        for (int i = 0; i < a.Length; i++)
        {
            var (n, mean, _) = stats[groups[i]];
            a[i] = n < 2 ? 0.0 : n / (double)(n - 1) * (scores[i] - mean);
        }
        return a;
    }

    /// <summary>REINFORCE++: <c>G_t = Σ_{u≥t, valid} γ^{u−t}·R_u</c> (token rewards already carry
    /// −β·KL_t and the outcome), then whitened over all valid tokens of the batch.</summary>
    public static double[] ReinforcePlusPlus(ReadOnlySpan<double> rewards, ReadOnlySpan<bool> mask, int b, int t, double gamma)
        => Whiten(RewardToGo(rewards, mask, b, t, gamma), mask);

    /// <summary>Discounted reward-to-go per row over valid tokens (masked positions 0).</summary>
    public static double[] RewardToGo(ReadOnlySpan<double> rewards, ReadOnlySpan<bool> mask, int b, int t, double gamma)
    {
        RequireLength(rewards.Length, b * t, "rewards");
        RequireLength(mask.Length, b * t, "mask");
        var g = new double[b * t];
        var running = new double[b];
        for (int col = t - 1; col >= 0; col--)
            for (int row = 0; row < b; row++)
            {
                int i = row * t + col;
                if (!mask[i]) continue;
                running[row] = rewards[i] + gamma * running[row];
                g[i] = running[row];
            }
        return g;
    }

    /// <summary>Broadcasts a per-sequence advantage to every valid token of the sequence.</summary>
    public static double[] Broadcast(ReadOnlySpan<double> perSequence, ReadOnlySpan<bool> mask, int b, int t)
    {
        RequireLength(perSequence.Length, b, "perSequence");
        RequireLength(mask.Length, b * t, "mask");
        var a = new double[b * t];
        for (int i = 0; i < a.Length; i++) if (mask[i]) a[i] = perSequence[i / t];
        return a;
    }

    private static Dictionary<int, (int Count, double Mean, double SumSq)> GroupStats(ReadOnlySpan<double> scores, ReadOnlySpan<int> groups)
    {
        RequireLength(groups.Length, scores.Length, "groups");
        var sums = new Dictionary<int, (int Count, double Sum)>();
        for (int i = 0; i < scores.Length; i++)
        {
            sums.TryGetValue(groups[i], out var s);
            sums[groups[i]] = (s.Count + 1, s.Sum + scores[i]);
        }
        var stats = new Dictionary<int, (int Count, double Mean, double SumSq)>(sums.Count);
        foreach (var (g, (n, sum)) in sums) stats[g] = (n, sum / n, 0.0);
        for (int i = 0; i < scores.Length; i++)
        {
            var (n, mean, ss) = stats[groups[i]];
            double d = scores[i] - mean;
            stats[groups[i]] = (n, mean, ss + d * d);
        }
        return stats;
    }

    internal static void RequireLength(int actual, int expected, string name)
    {
        if (actual != expected)
            throw new ArgumentException($"Advantages: '{name}' has length {actual}, expected {expected}.");
    }
}
