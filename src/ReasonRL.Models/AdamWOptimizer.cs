// AdamWOptimizer: AdamW over a whole parameter slab (moments in two more slabs of the same layout),
// with optional global-norm clipping first. What it is: bookkeeping (step count, moment slabs) around
// Kernels.AdamWStep / Kernels.SumOfSquares. What it is not: a learning-rate schedule (the caller sets
// LearningRate per step through Options). Weight decay applies to every parameter, as
// torch.optim.AdamW(model.parameters()) does (the anchor benchmark's setting).
// Reference: torch.optim.AdamW; torch.nn.utils.clip_grad_norm_.
using ReasonRL.Tensors;

namespace ReasonRL.Models;

/// <summary>AdamW state for one parameter slab.</summary>
public sealed class AdamWOptimizer : IDisposable
{
    private readonly NativeSlab _m, _v;

    public AdamWOptions Options { get; set; }

    /// <summary>Steps taken so far (t of the bias correction after the next step is Step + 1).</summary>
    public int Step { get; private set; }

    public AdamWOptimizer(SlabLayout layout, AdamWOptions options)
    {
        Options = options;
        _m = new NativeSlab(layout);
        _v = new NativeSlab(layout);
    }

    /// <summary>
    /// Clips gradients to <paramref name="maxGradNorm"/> (when finite and &gt; 0) and applies one AdamW
    /// step; returns the gradient norm before clipping. Padding between tensors stays zero throughout.
    /// </summary>
    public double Update(NativeSlab parameters, NativeSlab gradients, double maxGradNorm = double.PositiveInfinity)
    {
        double ss = 0;
        gradients.ForEachChunk(chunk => ss += Kernels.SumOfSquares(chunk));
        double norm = Math.Sqrt(ss);
        if (maxGradNorm > 0 && double.IsFinite(maxGradNorm))
        {
            double coef = maxGradNorm / (norm + 1e-6);
            if (coef < 1) gradients.ForEachChunk(chunk => Kernels.Scale(chunk, (float)coef));
        }
        Step++;
        for (long off = 0; off < parameters.Length; off += int.MaxValue)
        {
            int len = (int)Math.Min(int.MaxValue, parameters.Length - off);
            Kernels.AdamWStep(parameters.Range(off, len), gradients.Range(off, len), _m.Range(off, len), _v.Range(off, len), Options, Step);
        }
        return norm;
    }

    public void Dispose()
    {
        _m.Dispose();
        _v.Dispose();
    }
}
