// AdamW step and global-norm gradient clipping (fast), over flat float spans (a whole slab chunk).
// References: Reference.AdamWStep / GlobalNorm; torch.optim.AdamW (decoupled weight decay, bias
// correction), torch.nn.utils.clip_grad_norm_ (scale by max/(norm + 1e-6) when that is < 1).
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ReasonRL.Tensors;

/// <summary>AdamW hyper-parameters (torch defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01).</summary>
public sealed record AdamWOptions
{
    /// <summary>Learning rate, e.g. 3e-4.</summary>
    public float LearningRate { get; init; } = 3e-4f;
    /// <summary>β1, e.g. 0.9.</summary>
    public float Beta1 { get; init; } = 0.9f;
    /// <summary>β2, e.g. 0.95 (anchor benchmark) or 0.999 (torch default).</summary>
    public float Beta2 { get; init; } = 0.999f;
    /// <summary>ε added to the bias-corrected √v, e.g. 1e-8.</summary>
    public float Eps { get; init; } = 1e-8f;
    /// <summary>Decoupled weight decay λ (p ← p(1 − lr·λ)), e.g. 0.1.</summary>
    public float WeightDecay { get; init; } = 0.01f;
}

public static unsafe partial class Kernels
{
    /// <summary>One AdamW step on param/m/v given grad, all the same length; <paramref name="step"/> t ≥ 1.</summary>
    public static void AdamWStep(Span<float> param, ReadOnlySpan<float> grad, Span<float> m, Span<float> v,
        AdamWOptions options, int step)
    {
        if (step < 1) throw new ArgumentOutOfRangeException(nameof(step), $"AdamWStep: step must be >= 1, got {step}");
        int len = param.Length;
        RequireLength("AdamWStep", "grad", grad.Length, len);
        RequireLength("AdamWStep", "m", m.Length, len);
        RequireLength("AdamWStep", "v", v.Length, len);
        float lr = options.LearningRate, b1 = options.Beta1, b2 = options.Beta2, eps = options.Eps;
        float decay = 1f - lr * options.WeightDecay;
        float bc1 = 1f - MathF.Pow(b1, step), invSqrtBc2 = 1f / MathF.Sqrt(1f - MathF.Pow(b2, step));
        float stepSize = lr / bc1;
        fixed (float* pp = param) fixed (float* pg = grad) fixed (float* pm = m) fixed (float* pv = v)
        {
            float* p = pp, g = pg, mm = pm, vv = pv;
            const int block = 8192;
            ForRanges((len + block - 1) / block, block * 8L, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                int i = s * block, end = Math.Min(len, e * block);
                var vb1 = Vector256.Create(b1); var vb1c = Vector256.Create(1f - b1);
                var vb2 = Vector256.Create(b2); var vb2c = Vector256.Create(1f - b2);
                var vdecay = Vector256.Create(decay); var vstep = Vector256.Create(stepSize);
                var vinv = Vector256.Create(invSqrtBc2); var veps = Vector256.Create(eps);
                for (; i + 8 <= end; i += 8)
                {
                    var gi = Vector256.Load(g + i);
                    var mi = vb1 * Vector256.Load(mm + i) + vb1c * gi;
                    var vi = vb2 * Vector256.Load(vv + i) + vb2c * gi * gi;
                    mi.Store(mm + i);
                    vi.Store(vv + i);
                    var pi = Vector256.Load(p + i) * vdecay;
                    (pi - vstep * mi / (Vector256.Sqrt(vi) * vinv + veps)).Store(p + i);
                }
                for (; i < end; i++)
                {
                    mm[i] = b1 * mm[i] + (1f - b1) * g[i];
                    vv[i] = b2 * vv[i] + (1f - b2) * g[i] * g[i];
                    p[i] = p[i] * decay - stepSize * mm[i] / (MathF.Sqrt(vv[i]) * invSqrtBc2 + eps);
                }
            });
        }
    }

    /// <summary>Σ g² of one span, accumulated in double over float blocks.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> grad)
    {
        double total = 0;
        const int block = 4096;
        for (int i = 0; i < grad.Length; i += block)
            total += TensorPrimitives.SumOfSquares(grad.Slice(i, Math.Min(block, grad.Length - i)));
        return total;
    }

    /// <summary>
    /// clip_grad_norm_: norm = √(Σ over chunks of Σ g²); when max/(norm + 1e-6) &lt; 1 every chunk is
    /// multiplied by it. Returns the norm before clipping.
    /// </summary>
    public static double ClipGlobalNorm(IReadOnlyList<Memory<float>> chunks, double maxNorm)
    {
        double ss = 0;
        foreach (var c in chunks) ss += SumOfSquares(c.Span);
        double norm = Math.Sqrt(ss);
        double coef = maxNorm / (norm + 1e-6);
        if (coef < 1)
            foreach (var c in chunks) TensorPrimitives.Multiply(c.Span, (float)coef, c.Span);
        return norm;
    }

    /// <summary>Multiplies every element by <paramref name="scale"/> (the clipping step on a native slab).</summary>
    public static void Scale(Span<float> values, float scale) => TensorPrimitives.Multiply(values, scale, values);
}
