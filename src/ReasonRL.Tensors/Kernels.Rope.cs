// RoPE (rotate-half layout, HF Qwen2/Llama) forward/backward, in place, plus the cos/sin tables.
// Reference: Reference.RopeForward/Backward/RopeTables. Tables follow HF: inv_freq = θ^(−2i/D)
// computed in float, angle = pos · inv_freq in float, then cos/sin (so the golden test matches).
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ReasonRL.Tensors;

public static unsafe partial class Kernels
{
    /// <summary>cos/sin tables [maxPos, D/2] for base θ (HF rotary embedding, float arithmetic).</summary>
    public static (float[] Cos, float[] Sin) RopeTables(double theta, int headDim, int maxPositions) =>
        RopeTables(RopeInverseFrequencies(theta, headDim), maxPositions);

    /// <summary>HF's default inv_freq [D/2]: 1 / θ^(2i/D), the exponent in float as torch computes it.</summary>
    public static float[] RopeInverseFrequencies(double theta, int headDim)
    {
        var invFreq = new float[headDim / 2];
        for (int i = 0; i < invFreq.Length; i++) invFreq[i] = (float)(1.0 / Math.Pow(theta, (float)(2 * i) / headDim));
        return invFreq;
    }

    /// <summary>cos/sin tables [maxPos, D/2] of given inverse frequencies [D/2] (angle = pos · inv_freq in float).</summary>
    public static (float[] Cos, float[] Sin) RopeTables(ReadOnlySpan<float> invFreq, int maxPositions)
    {
        int half = invFreq.Length;
        var cos = new float[maxPositions * half];
        var sin = new float[maxPositions * half];
        for (int i = 0; i < half; i++)
        {
            float f = invFreq[i];
            for (int p = 0; p < maxPositions; p++)
            {
                float angle = p * f;
                cos[p * half + i] = MathF.Cos(angle);
                sin[p * half + i] = MathF.Sin(angle);
            }
        }
        return (cos, sin);
    }

    /// <summary>In-place RoPE on x [N, heads, D] at positions [N]; cos/sin [maxPos, D/2].</summary>
    public static void RopeForward(ReadOnlySpan<int> positions, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin,
        int heads, int headDim, Span<float> x) => Rotate(positions, cos, sin, heads, headDim, x, 1f);

    /// <summary>In-place RoPE backward: dx ← Rᵀ dy (rotation by the negative angle).</summary>
    public static void RopeBackward(ReadOnlySpan<int> positions, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin,
        int heads, int headDim, Span<float> dx) => Rotate(positions, cos, sin, heads, headDim, dx, -1f);

    private static void Rotate(ReadOnlySpan<int> positions, ReadOnlySpan<float> cos, ReadOnlySpan<float> sin,
        int heads, int headDim, Span<float> x, float sign)
    {
        int half = headDim / 2, rows = positions.Length;
        RequireLength("Rope", "x", x.Length, (long)rows * heads * headDim);
        int maxPos = half == 0 ? 0 : cos.Length / half;
        foreach (var p in positions)
            if ((uint)p >= (uint)maxPos) throw new ArgumentOutOfRangeException(nameof(positions), $"Rope: position {p} outside the table [0, {maxPos})");
        fixed (int* pp = positions) fixed (float* pc = cos) fixed (float* ps = sin) fixed (float* px = x)
        {
            int* pos = pp; float* c = pc, s = ps, xs = px;
            ForRanges(rows, (long)heads * headDim, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (r0, r1) =>
            {
                for (int n = r0; n < r1; n++)
                {
                    float* cr = c + (long)pos[n] * half, sr = s + (long)pos[n] * half;
                    for (int h = 0; h < heads; h++)
                    {
                        float* v = xs + ((long)n * heads + h) * headDim;
                        int i = 0;
                        var vsign = Vector256.Create(sign);
                        for (; i + 8 <= half; i += 8)
                        {
                            var x1 = Vector256.Load(v + i);
                            var x2 = Vector256.Load(v + i + half);
                            var cv = Vector256.Load(cr + i);
                            var sv = vsign * Vector256.Load(sr + i);
                            (x1 * cv - x2 * sv).Store(v + i);
                            (x2 * cv + x1 * sv).Store(v + i + half);
                        }
                        for (; i < half; i++)
                        {
                            // forward: (x1, x2) → (x1 c − x2 s, x2 c + x1 s); backward uses −s.
                            float x1 = v[i], x2 = v[i + half], cv = cr[i], sv = sign * sr[i];
                            v[i] = x1 * cv - x2 * sv;
                            v[i + half] = x2 * cv + x1 * sv;
                        }
                    }
                }
            });
        }
    }
}
