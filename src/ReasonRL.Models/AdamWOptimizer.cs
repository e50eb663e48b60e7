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

    /// <summary>A copy of the step count and both moment slabs (padding included), for an exact resume.</summary>
    public AdamWOptimizerState CaptureState() => new(Step, ToArray(_m), ToArray(_v));

    /// <summary>Restores a <see cref="CaptureState"/> result; throws when the moments do not fit this layout.</summary>
    public void RestoreState(AdamWOptimizerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Step < 0) throw new ArgumentOutOfRangeException(nameof(state), state.Step, "AdamW state: step must be >= 0");
        if (state.FirstMoment.Length != _m.Length || state.SecondMoment.Length != _v.Length)
            throw new ArgumentException($"AdamW state: moments have {state.FirstMoment.Length}/{state.SecondMoment.Length} floats, expected {_m.Length} (this optimizer's slab)", nameof(state));
        FromArray(state.FirstMoment, _m);
        FromArray(state.SecondMoment, _v);
        Step = state.Step;
    }

    private static float[] ToArray(NativeSlab slab)
    {
        var a = new float[slab.Length];
        for (long off = 0; off < slab.Length; off += int.MaxValue)
        {
            int len = (int)Math.Min(int.MaxValue, slab.Length - off);
            slab.Range(off, len).CopyTo(a.AsSpan((int)off, len));
        }
        return a;
    }

    private static void FromArray(float[] a, NativeSlab slab)
    {
        for (long off = 0; off < slab.Length; off += int.MaxValue)
        {
            int len = (int)Math.Min(int.MaxValue, slab.Length - off);
            a.AsSpan((int)off, len).CopyTo(slab.Range(off, len));
        }
    }

    public void Dispose()
    {
        _m.Dispose();
        _v.Dispose();
    }
}

/// <summary>AdamW state for an exact resume: updates taken and the first/second moment slabs as flat arrays.</summary>
public sealed record AdamWOptimizerState(int Step, float[] FirstMoment, float[] SecondMoment);
