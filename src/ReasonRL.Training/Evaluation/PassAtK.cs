// PassAtK: the unbiased pass@k estimator of Chen et al. (2021, "Evaluating Large Language Models
// Trained on Code", §2.1). With n samples of which c are correct,
//     pass@k = 1 − C(n − c, k) / C(n, k)        (1 when n − c < k)
// computed as the stable product 1 − Π_{i = n−c+1}^{n} (1 − k / i), never with factorials.
// With n = k it is simply "any of the k is correct". Not a sampler.
namespace ReasonRL.Training.Evaluation;

/// <summary>pass@k from n samples with c correct.</summary>
public static class PassAtK
{
    /// <summary>Unbiased pass@k ∈ [0, 1]. Requires 0 ≤ c ≤ n and 1 ≤ k ≤ n.</summary>
    public static double Estimate(int n, int c, int k)
    {
        if (n < 1) throw new ArgumentOutOfRangeException(nameof(n), n, "pass@k: need at least one sample");
        if (c < 0 || c > n) throw new ArgumentOutOfRangeException(nameof(c), c, $"pass@k: correct count must be in [0, {n}]");
        if (k < 1 || k > n) throw new ArgumentOutOfRangeException(nameof(k), k, $"pass@k: k must be in [1, n = {n}]");
        if (n - c < k) return 1.0;
        double missAll = 1.0;
        for (int i = n - c + 1; i <= n; i++) missAll *= 1.0 - (double)k / i;
        return 1.0 - missAll;
    }
}
