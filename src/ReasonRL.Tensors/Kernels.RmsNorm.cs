// RMSNorm forward/backward (fast). Reference: Reference.RmsNormForward/Backward.
// y[n,c] = x[n,c] · rstd[n] · w[c], rstd[n] = 1/√(mean_c x² + eps) (HF Qwen2RMSNorm, fp32).
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ReasonRL.Tensors;

public static unsafe partial class Kernels
{
    /// <summary>RMSNorm over rows of width C. input/output [N, C], weight [C], rstd [N] (saved for backward).</summary>
    public static void RmsNormForward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, int rows, int width, float eps,
        Span<float> output, Span<float> rstd)
    {
        RequireLength("RmsNormForward", "input", input.Length, (long)rows * width);
        RequireLength("RmsNormForward", "output", output.Length, (long)rows * width);
        RequireLength("RmsNormForward", "rstd", rstd.Length, rows);
        fixed (float* px = input) fixed (float* pw = weight) fixed (float* py = output) fixed (float* pr = rstd)
        {
            float* x = px, w = pw, y = py, r = pr;
            ForRanges(rows, width, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                var wv = new ReadOnlySpan<float>(w, width);
                for (int n = s; n < e; n++)
                {
                    var xr = new ReadOnlySpan<float>(x + (long)n * width, width);
                    var yr = new Span<float>(y + (long)n * width, width);
                    float inv = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(xr) / width + eps);
                    r[n] = inv;
                    TensorPrimitives.Multiply(xr, inv, yr);
                    TensorPrimitives.Multiply(yr, wv, yr);
                }
            });
        }
    }

    /// <summary>Backward of RMSNorm; accumulates dInput [N, C] and dWeight [C].</summary>
    public static void RmsNormBackward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, ReadOnlySpan<float> rstd,
        ReadOnlySpan<float> dOutput, int rows, int width, Span<float> dInput, Span<float> dWeight)
    {
        RequireLength("RmsNormBackward", "dInput", dInput.Length, (long)rows * width);
        // forward: y_c = w_c x_c r ⇒ dx_c = r w_c dy_c − r³ x_c/C · Σ_j w_j dy_j x_j; dw_c = Σ_n dy_c x_c r.
        // dWeight is reduced per chunk into a private buffer, then summed in chunk order (no shared writes
        // in the loop). The chunking depends on the row count only, never on the number of cores, so the
        // sum — and every run built on it — is the same on one core and on many.
        int chunks = Math.Max(1, Math.Min(rows, ReductionChunks));
        var partial = new float[chunks * width];
        fixed (float* px = input) fixed (float* pw = weight) fixed (float* pr = rstd) fixed (float* pdy = dOutput)
        fixed (float* pdx = dInput) fixed (float* ppart = partial)
        {
            float* x = px, w = pw, r = pr, dy = pdy, dx = pdx, part = ppart;
            [MethodImpl(MethodImplOptions.AggressiveOptimization)]
            void Body(int ch)
            {
                int s = (int)((long)rows * ch / chunks), e = (int)((long)rows * (ch + 1) / chunks);
                float* dw = part + (long)ch * width;
                for (int n = s; n < e; n++)
                    RmsNormBackwardRow(x + (long)n * width, w, dy + (long)n * width, r[n], width, dx + (long)n * width, dw);
            }
            if (chunks > 1 && (long)rows * width >= ParallelWork) Parallel.For(0, chunks, Workers, Body);
            else for (int ch = 0; ch < chunks; ch++) Body(ch);
        }
        for (int ch = 0; ch < chunks; ch++)
            TensorPrimitives.Add(dWeight[..width], partial.AsSpan(ch * width, width), dWeight[..width]);
    }

    /// <summary>
    /// One row of RMSNorm backward in two passes: dot = Σ w·dy·x, then dx += r·(w·dy − r²·dot/C·x) and
    /// dw += dy·x·r (r = the row's saved rstd).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RmsNormBackwardRow(float* x, float* w, float* dy, float r, int width, float* dx, float* dw)
    {
        int i = 0;
        var accv = Vector256<float>.Zero;
        for (; i + 8 <= width; i += 8) accv += Vector256.Load(w + i) * Vector256.Load(dy + i) * Vector256.Load(x + i);
        float dot = Vector256.Sum(accv);
        for (; i < width; i++) dot += w[i] * dy[i] * x[i];
        float c = -r * r * dot / width;
        var vr = Vector256.Create(r);
        var vc = Vector256.Create(c);
        for (i = 0; i + 8 <= width; i += 8)
        {
            var xv = Vector256.Load(x + i);
            var dyv = Vector256.Load(dy + i);
            (Vector256.Load(dx + i) + vr * (Vector256.Load(w + i) * dyv + vc * xv)).Store(dx + i);
            (Vector256.Load(dw + i) + dyv * xv * vr).Store(dw + i);
        }
        for (; i < width; i++)
        {
            dx[i] += r * (w[i] * dy[i] + c * x[i]);
            dw[i] += dy[i] * x[i] * r;
        }
    }
}
