// Single-token causal GQA attention against a KV cache (fast): the decode step of generation.
// Reference: Reference.AttentionForward restricted to the last row (tests compare against it).
// What it is: per (sequence, kv head) work items in parallel; direct dot products over the cache
// (n ≤ a few hundred positions, D small: packing would dominate), softmax with the row max subtracted.
// What it is not: the training attention (Kernels.Attention.cs), or paged / ragged beyond per-sequence lengths.
// Glossary: B sequences, H heads, Hkv kv heads, G = H/Hkv, D head dim, S cache capacity.
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ReasonRL.Tensors;

public static unsafe partial class Kernels
{
    /// <summary>
    /// One new query token per sequence against a KV cache. q [B, H·D] (already RoPE'd at position
    /// lengths[b]−1); keyCache/valueCache [B, S, Hkv·D] hold positions 0..lengths[b]−1 (the new one
    /// included); output [B, H·D].
    /// </summary>
    public static void AttentionDecode(ReadOnlySpan<float> q, ReadOnlySpan<float> keyCache, ReadOnlySpan<float> valueCache,
        ReadOnlySpan<int> lengths, int batch, int capacity, int heads, int kvHeads, int headDim, Span<float> output)
    {
        int qd = heads * headDim, kd = kvHeads * headDim, g = heads / kvHeads, D = headDim;
        RequireLength("AttentionDecode", "keyCache", keyCache.Length, (long)batch * capacity * kd);
        RequireLength("AttentionDecode", "output", output.Length, (long)batch * qd);
        int maxLen = 0;
        for (int b = 0; b < batch; b++)
        {
            if (lengths[b] < 1 || lengths[b] > capacity) throw new ArgumentOutOfRangeException(nameof(lengths), $"AttentionDecode: length {lengths[b]} of sequence {b} outside [1, {capacity}]");
            maxLen = Math.Max(maxLen, lengths[b]);
        }
        float scale = 1f / MathF.Sqrt(D);
        fixed (float* pq = q) fixed (float* pk = keyCache) fixed (float* pv = valueCache) fixed (float* po = output) fixed (int* pl = lengths)
        {
            float* qq = pq, kc = pk, vc = pv, oo = po; int* len = pl;
            ForRanges(batch * kvHeads, 2L * g * maxLen * D, (s, e) =>
            {
                var scratch = AttnScratch(g * maxLen);
                fixed (float* S = scratch)
                {
                    for (int item = s; item < e; item++)
                    {
                        int b = item / kvHeads, kh = item % kvHeads, n = len[b];
                        float* kb = kc + (long)b * capacity * kd + kh * D, vb = vc + (long)b * capacity * kd + kh * D;
                        float* qb = qq + (long)b * qd + kh * g * D, ob = oo + (long)b * qd + kh * g * D;
                        // scores[G, n] = Q[G, D] · K[n, D]ᵀ — direct dots (n ≤ a few hundred, D small: packing would dominate)
                        for (int t = 0; t < n; t++)
                        {
                            float* krow = kb + (long)t * kd;
                            for (int r = 0; r < g; r++) S[(long)r * n + t] = Dot(qb + r * D, krow, D);
                        }
                        for (int r = 0; r < g; r++)
                        {
                            var row = new Span<float>(S + (long)r * n, n);
                            TensorPrimitives.Multiply(row, scale, row);
                            float max = TensorPrimitives.Max(row);
                            TensorPrimitives.Subtract(row, max, row);
                            TensorPrimitives.Exp(row, row);
                            TensorPrimitives.Multiply(row, 1f / TensorPrimitives.Sum(row), row);
                            new Span<float>(ob + r * D, D).Clear();
                        }
                        // out[G, D] = P[G, n] · V[n, D], accumulated one cached value row at a time
                        for (int t = 0; t < n; t++)
                        {
                            float* vrow = vb + (long)t * kd;
                            for (int r = 0; r < g; r++) Axpy(S[(long)r * n + t], vrow, ob + r * D, D);
                        }
                    }
                }
            });
        }
    }

    /// <summary>Σ_i a[i]·b[i] over d floats (Vector256 body, scalar tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Dot(float* a, float* b, int d)
    {
        int i = 0;
        var acc = Vector256<float>.Zero;
        for (; i + 8 <= d; i += 8) acc += Vector256.Load(a + i) * Vector256.Load(b + i);
        float sum = Vector256.Sum(acc);
        for (; i < d; i++) sum += a[i] * b[i];
        return sum;
    }

    /// <summary>y[i] += alpha·x[i] over d floats (Vector256 body, scalar tail).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining | MethodImplOptions.AggressiveOptimization)]
    private static void Axpy(float alpha, float* x, float* y, int d)
    {
        int i = 0;
        var va = Vector256.Create(alpha);
        for (; i + 8 <= d; i += 8) (Vector256.Load(y + i) + va * Vector256.Load(x + i)).Store(y + i);
        for (; i < d; i++) y[i] += alpha * x[i];
    }
}
