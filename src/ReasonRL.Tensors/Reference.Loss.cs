// Reference kernels, part 2: log-softmax / cross-entropy with per-token log-probs and entropy,
// AdamW, global-norm gradient clipping, RoPE tables — plain double loops (docs/conventions.md §6).
// What it is: the specification for Kernels.CrossEntropy.cs, Kernels.AdamW.cs, Kernels.GradClip.cs.
// Backward kernels accumulate. Glossary: N rows (tokens), V vocabulary.
// References: PyTorch torch.optim.AdamW (decoupled decay, bias correction; Loshchilov & Hutter 2019),
// torch.nn.utils.clip_grad_norm_ (coefficient max/(norm + 1e-6)).
namespace ReasonRL.Tensors;

public static partial class Reference
{
    /// <summary>
    /// Per row n: lse[n] = log Σ_v exp(logits[n,v]); logProbs[n] = logits[n, targets[n]] − lse[n]
    /// (0 where targets[n] &lt; 0, the ignore index); entropy[n] = lse[n] − Σ_v p_v logits[n,v].
    /// </summary>
    public static void LogSoftmaxForward(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, int rows, int vocab,
        Span<double> logProbs, Span<double> entropy, Span<double> lse)
    {
        for (int n = 0; n < rows; n++)
        {
            var row = logits.Slice(n * vocab, vocab);
            double max = double.NegativeInfinity;
            foreach (var z in row) max = Math.Max(max, z);
            double sum = 0, pz = 0;
            foreach (var z in row) sum += Math.Exp(z - max);
            double l = max + Math.Log(sum);
            foreach (var z in row) pz += Math.Exp(z - l) * z;
            lse[n] = l;
            entropy[n] = l - pz;
            logProbs[n] = targets[n] >= 0 ? row[targets[n]] - l : 0.0;
        }
    }

    /// <summary>
    /// Backward of <see cref="LogSoftmaxForward"/> (accumulates into dLogits):
    /// ∂logp/∂z_v = [v = target] − p_v, ∂H/∂z_v = −p_v (log p_v + H). dEntropy may be empty.
    /// </summary>
    public static void LogSoftmaxBackward(ReadOnlySpan<double> logits, ReadOnlySpan<int> targets, ReadOnlySpan<double> lse,
        ReadOnlySpan<double> dLogProbs, ReadOnlySpan<double> dEntropy, int rows, int vocab, Span<double> dLogits)
    {
        for (int n = 0; n < rows; n++)
        {
            var row = logits.Slice(n * vocab, vocab);
            double h = 0;
            if (!dEntropy.IsEmpty) foreach (var z in row) h -= Math.Exp(z - lse[n]) * (z - lse[n]);
            for (int v = 0; v < vocab; v++)
            {
                double logp = row[v] - lse[n], p = Math.Exp(logp), g = 0;
                if (targets[n] >= 0) g += dLogProbs[n] * ((v == targets[n] ? 1 : 0) - p);
                if (!dEntropy.IsEmpty) g += dEntropy[n] * (-p * (logp + h));
                dLogits[n * vocab + v] += g;
            }
        }
    }

    /// <summary>
    /// One AdamW step (PyTorch form): p ← p(1 − lr·wd); m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²;
    /// p ← p − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + eps). <paramref name="step"/> t starts at 1.
    /// </summary>
    public static void AdamWStep(Span<double> param, ReadOnlySpan<double> grad, Span<double> m, Span<double> v,
        double lr, double beta1, double beta2, double eps, double weightDecay, int step)
    {
        double bc1 = 1 - Math.Pow(beta1, step), bc2 = 1 - Math.Pow(beta2, step);
        for (int i = 0; i < param.Length; i++)
        {
            param[i] *= 1 - lr * weightDecay;
            m[i] = beta1 * m[i] + (1 - beta1) * grad[i];
            v[i] = beta2 * v[i] + (1 - beta2) * grad[i] * grad[i];
            param[i] -= lr / bc1 * m[i] / (Math.Sqrt(v[i]) / Math.Sqrt(bc2) + eps);
        }
    }

    /// <summary>√(Σ g²) over all gradient buffers.</summary>
    public static double GlobalNorm(IReadOnlyList<double[]> grads)
    {
        double ss = 0;
        foreach (var g in grads) foreach (var x in g) ss += x * x;
        return Math.Sqrt(ss);
    }

    /// <summary>RoPE tables cos/sin [maxPos, D/2]: angle(pos, i) = pos · θ^(−2i/D).</summary>
    public static (double[] Cos, double[] Sin) RopeTables(double theta, int headDim, int maxPositions) =>
        RopeTables(RopeInverseFrequencies(theta, headDim), maxPositions);

    /// <summary>Default inverse frequencies [D/2]: θ^(−2i/D).</summary>
    public static double[] RopeInverseFrequencies(double theta, int headDim)
    {
        var invFreq = new double[headDim / 2];
        for (int i = 0; i < invFreq.Length; i++) invFreq[i] = Math.Pow(theta, -2.0 * i / headDim);
        return invFreq;
    }

    /// <summary>RoPE tables cos/sin [maxPos, D/2] of inverse frequencies [D/2]: angle(pos, i) = pos · invFreq[i].</summary>
    public static (double[] Cos, double[] Sin) RopeTables(ReadOnlySpan<double> invFreq, int maxPositions)
    {
        int half = invFreq.Length;
        var cos = new double[maxPositions * half];
        var sin = new double[maxPositions * half];
        for (int p = 0; p < maxPositions; p++)
            for (int i = 0; i < half; i++)
            {
                double a = p * invFreq[i];
                cos[p * half + i] = Math.Cos(a);
                sin[p * half + i] = Math.Sin(a);
            }
        return (cos, sin);
    }
}
