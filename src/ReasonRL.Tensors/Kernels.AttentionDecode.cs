// Single-token causal GQA attention against a KV cache (fast): the decode step of generation.
// Reference: Reference.AttentionForward restricted to the last row (tests compare against it).
// What it is: per (sequence, kv head) work items in parallel (inline inside a SerialScope); the G
// query heads of a kv head read the same cached rows; scores by direct dots, four positions per
// horizontal reduction (n ≤ a few hundred, D small: packing would dominate); softmax with the row max
// subtracted and the 1/Σ folded into the output; P·V with the output row held in registers.
// What it is not: the training attention (Kernels.Attention.cs), or paged / ragged beyond per-sequence lengths.
// Glossary: B sequences, H heads, Hkv kv heads, G = H/Hkv, D head dim, S cache capacity.
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
            ForRanges(batch * kvHeads, 2L * g * maxLen * D, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                var scratch = AttnScratch((long)g * (maxLen + D));
                fixed (float* sp = scratch)
                {
                    float* S = sp, qs = sp + (long)g * maxLen;   // scores [G, n] (row stride maxLen), scaled queries [G, D]
                    for (int item = s; item < e; item++)
                    {
                        int b = item / kvHeads, kh = item % kvHeads, n = len[b];
                        float* kb = kc + (long)b * capacity * kd + kh * D, vb = vc + (long)b * capacity * kd + kh * D;
                        float* qb = qq + (long)b * qd + kh * g * D, ob = oo + (long)b * qd + kh * g * D;
                        // fold the 1/√D scale into the G query rows once instead of into every score
                        TensorPrimitives.Multiply(new ReadOnlySpan<float>(qb, g * D), scale, new Span<float>(qs, g * D));
                        for (int r = 0; r < g; r++)
                        {
                            // scores[r, t] = (q_r/√D) · k_t; p = exp(s − max); out_r = (Σ_t p_t v_t) / Σ_t p_t
                            var row = new Span<float>(S + (long)r * maxLen, n);
                            Scores(qs + r * D, kb, kd, n, D, S + (long)r * maxLen);
                            float max = TensorPrimitives.Max(row);
                            TensorPrimitives.Subtract(row, max, row);
                            TensorPrimitives.Exp(row, row);
                            WeightedValues(S + (long)r * maxLen, vb, kd, n, D, 1f / TensorPrimitives.Sum(row), ob + r * D);
                        }
                    }
                }
            });
        }
    }

    /// <summary>
    /// scores[t] = q · k_t for t &lt; n, k_t = keys + t·stride (D floats each). Four positions at a time:
    /// four Vector256 partial sums over D reduced together, so one horizontal reduction serves four dots.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scores(float* q, float* keys, int stride, int n, int d, float* scores)
    {
        int t = 0;
        if (Avx.IsSupported && d >= 8)
        {
            for (; t + 4 <= n; t += 4)
            {
                float* k0 = keys + (long)t * stride, k1 = k0 + stride, k2 = k1 + stride, k3 = k2 + stride;
                Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
                int i = 0;
                for (; i + 8 <= d; i += 8)
                {
                    var x = Vector256.Load(q + i);
                    s0 = Vector256.FusedMultiplyAdd(x, Vector256.Load(k0 + i), s0);
                    s1 = Vector256.FusedMultiplyAdd(x, Vector256.Load(k1 + i), s1);
                    s2 = Vector256.FusedMultiplyAdd(x, Vector256.Load(k2 + i), s2);
                    s3 = Vector256.FusedMultiplyAdd(x, Vector256.Load(k3 + i), s3);
                }
                var h = Avx.HorizontalAdd(Avx.HorizontalAdd(s0, s1), Avx.HorizontalAdd(s2, s3));
                var four = h.GetLower() + h.GetUpper();   // [Σ s0, Σ s1, Σ s2, Σ s3]
                for (; i < d; i++) four += Vector128.Create(k0[i], k1[i], k2[i], k3[i]) * q[i];
                four.Store(scores + t);
            }
        }
        for (; t < n; t++) scores[t] = Dot(q, keys + (long)t * stride, d);
    }

    /// <summary>
    /// out[D] = scale · Σ_{t&lt;n} p[t] · v_t, v_t = values + t·stride. Output chunks of 32 (four Vector256
    /// accumulators held in registers across the t loop), then of 8, then a scalar tail.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void WeightedValues(float* p, float* values, int stride, int n, int d, float scale, float* output)
    {
        int i = 0;
        for (; i + 32 <= d; i += 32)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            float* v = values + i;
            for (int t = 0; t < n; t++, v += stride)
            {
                var w = Vector256.Create(p[t]);
                a0 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v), a0);
                a1 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 8), a1);
                a2 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 16), a2);
                a3 = Vector256.FusedMultiplyAdd(w, Vector256.Load(v + 24), a3);
            }
            var sv = Vector256.Create(scale);
            (a0 * sv).Store(output + i); (a1 * sv).Store(output + i + 8); (a2 * sv).Store(output + i + 16); (a3 * sv).Store(output + i + 24);
        }
        for (; i + 8 <= d; i += 8)
        {
            Vector256<float> a0 = default, a1 = default;
            float* v = values + i;
            int t = 0;
            for (; t + 2 <= n; t += 2, v += 2L * stride)
            {
                a0 = Vector256.FusedMultiplyAdd(Vector256.Create(p[t]), Vector256.Load(v), a0);
                a1 = Vector256.FusedMultiplyAdd(Vector256.Create(p[t + 1]), Vector256.Load(v + stride), a1);
            }
            if (t < n) a0 = Vector256.FusedMultiplyAdd(Vector256.Create(p[t]), Vector256.Load(v), a0);
            ((a0 + a1) * Vector256.Create(scale)).Store(output + i);
        }
        for (; i < d; i++)
        {
            float acc = 0;
            for (int t = 0; t < n; t++) acc += p[t] * values[(long)t * stride + i];
            output[i] = acc * scale;
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
}
