// Causal grouped-query attention for training (fast): forward saving the softmax probabilities, and
// backward. The single-token decode against a KV cache is in Kernels.AttentionDecode.cs.
// Reference: Reference.AttentionForward/Backward.
// What it is: per (sequence, kv head) work items in parallel; inside one item, head-strided GEMMs
// (ManagedGemm.MultiplySerial, leading dimension H·D / Hkv·D, no copies) in causal row blocks so
// the masked upper triangle is mostly skipped; explicit softmax with the row max subtracted.
// Items are (b, kv head) — not (b, h) — so the G query heads sharing a kv head accumulate dK/dV
// on one thread (no races). What it is not: flash attention (probs [B,H,T,T] are stored for backward).
// Glossary: B sequences, T tokens, H heads, Hkv kv heads, G = H/Hkv, D head dim, S cache length.
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ReasonRL.Tensors;

public static unsafe partial class Kernels
{
    private const int AttentionRowBlock = 64;

    [ThreadStatic] private static float[]? t_attnScratch;

    private static float[] AttnScratch(int size) =>
        t_attnScratch is { } s && s.Length >= size ? s : (t_attnScratch = GC.AllocateUninitializedArray<float>(size, pinned: true));

    /// <summary>
    /// q [B,T,H·D], k/v [B,T,Hkv·D] → output [B,T,H·D], probs [B,H,T,T] (softmax rows, zero above the diagonal).
    /// </summary>
    public static void AttentionForward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v,
        int batch, int tokens, int heads, int kvHeads, int headDim, Span<float> output, Span<float> probs)
    {
        int qd = heads * headDim, kd = kvHeads * headDim, g = heads / kvHeads, T = tokens, D = headDim;
        RequireLength("AttentionForward", "q", q.Length, (long)batch * T * qd);
        RequireLength("AttentionForward", "k", k.Length, (long)batch * T * kd);
        RequireLength("AttentionForward", "v", v.Length, (long)batch * T * kd);
        RequireLength("AttentionForward", "output", output.Length, (long)batch * T * qd);
        RequireLength("AttentionForward", "probs", probs.Length, (long)batch * heads * T * T);
        float scale = 1f / MathF.Sqrt(D);
        fixed (float* pq = q) fixed (float* pk = k) fixed (float* pv = v) fixed (float* po = output) fixed (float* pp = probs)
        {
            float* qq = pq, kk = pk, vv = pv, oo = po, pr = pp;
            ForRanges(batch * kvHeads, (long)g * T * T * D, (s, e) =>
            {
                for (int item = s; item < e; item++)
                {
                    int b = item / kvHeads, kh = item % kvHeads;
                    float* kb = kk + (long)b * T * kd + kh * D, vb = vv + (long)b * T * kd + kh * D;
                    for (int h = kh * g; h < kh * g + g; h++)
                    {
                        float* qb = qq + (long)b * T * qd + h * D, ob = oo + (long)b * T * qd + h * D;
                        float* P = pr + ((long)b * heads + h) * T * T;
                        for (int r0 = 0; r0 < T; r0 += AttentionRowBlock)
                        {
                            int r1 = Math.Min(T, r0 + AttentionRowBlock);
                            // scores[r0:r1, 0:r1] = Q[r0:r1] · K[0:r1]ᵀ
                            ManagedGemm.MultiplySerial(false, true, r1 - r0, r1, D, qb + (long)r0 * qd, qd, kb, kd, false, P + (long)r0 * T, T);
                            for (int t = r0; t < r1; t++)
                            {
                                var row = new Span<float>(P + (long)t * T, t + 1);
                                TensorPrimitives.Multiply(row, scale, row);
                                float max = TensorPrimitives.Max(row);
                                TensorPrimitives.Subtract(row, max, row);
                                TensorPrimitives.Exp(row, row);
                                TensorPrimitives.Multiply(row, 1f / TensorPrimitives.Sum(row), row);
                                new Span<float>(P + (long)t * T + t + 1, T - t - 1).Clear();
                            }
                            // out[r0:r1] = P[r0:r1, 0:r1] · V[0:r1]
                            ManagedGemm.MultiplySerial(false, false, r1 - r0, D, r1, P + (long)r0 * T, T, vb, kd, false, ob + (long)r0 * qd, qd);
                        }
                    }
                }
            });
        }
    }

    /// <summary>Backward of causal GQA attention; accumulates dq [B,T,H·D], dk/dv [B,T,Hkv·D].</summary>
    public static void AttentionBackward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v,
        ReadOnlySpan<float> probs, ReadOnlySpan<float> dOutput, int batch, int tokens, int heads, int kvHeads, int headDim,
        Span<float> dq, Span<float> dk, Span<float> dv)
    {
        int qd = heads * headDim, kd = kvHeads * headDim, g = heads / kvHeads, T = tokens, D = headDim;
        RequireLength("AttentionBackward", "dq", dq.Length, (long)batch * T * qd);
        RequireLength("AttentionBackward", "dk", dk.Length, (long)batch * T * kd);
        RequireLength("AttentionBackward", "dv", dv.Length, (long)batch * T * kd);
        RequireLength("AttentionBackward", "probs", probs.Length, (long)batch * heads * T * T);
        float scale = 1f / MathF.Sqrt(D);
        fixed (float* pq = q) fixed (float* pk = k) fixed (float* pv = v) fixed (float* pp = probs) fixed (float* pdo = dOutput)
        fixed (float* pdq = dq) fixed (float* pdk = dk) fixed (float* pdv = dv)
        {
            float* qq = pq, kk = pk, vv = pv, pr = pp, dO = pdo, dQ = pdq, dK = pdk, dV = pdv;
            ForRanges(batch * kvHeads, 2L * g * T * T * D, (s, e) =>
            {
                var scratch = AttnScratch(T * T);
                fixed (float* dS = scratch)
                {
                    for (int item = s; item < e; item++)
                    {
                        int b = item / kvHeads, kh = item % kvHeads;
                        long kvo = (long)b * T * kd + kh * D;
                        for (int h = kh * g; h < kh * g + g; h++)
                        {
                            long qo = (long)b * T * qd + h * D;
                            float* P = pr + ((long)b * heads + h) * T * T;
                            for (int r0 = 0; r0 < T; r0 += AttentionRowBlock)
                            {
                                int r1 = Math.Min(T, r0 + AttentionRowBlock);
                                // dP[r0:r1, 0:r1] = dO[r0:r1] · V[0:r1]ᵀ   (out = P·V)
                                ManagedGemm.MultiplySerial(false, true, r1 - r0, r1, D, dO + qo + (long)r0 * qd, qd, vv + kvo, kd, false, dS + (long)r0 * T, T);
                                // softmax backward: dz_s = p_s (dp_s − Σ_r p_r dp_r) · scale (z = scale·q·k)
                                for (int t = r0; t < r1; t++)
                                {
                                    var prow = new ReadOnlySpan<float>(P + (long)t * T, t + 1);
                                    var drow = new Span<float>(dS + (long)t * T, t + 1);
                                    float dot = TensorPrimitives.Dot(prow, drow);
                                    TensorPrimitives.Subtract(drow, dot, drow);
                                    TensorPrimitives.Multiply(drow, prow, drow);
                                    TensorPrimitives.Multiply(drow, scale, drow);
                                    new Span<float>(dS + (long)t * T + t + 1, T - t - 1).Clear();
                                }
                                // dQ[r0:r1] += dS[r0:r1, 0:r1] · K[0:r1]
                                ManagedGemm.MultiplySerial(false, false, r1 - r0, D, r1, dS + (long)r0 * T, T, kk + kvo, kd, true, dQ + qo + (long)r0 * qd, qd);
                            }
                            // dK[s] += Σ_{t≥s} dS[t,s] q[t];  dV[s] += Σ_{t≥s} P[t,s] dO[t]  (column blocks, rows t ≥ s0)
                            for (int s0 = 0; s0 < T; s0 += AttentionRowBlock)
                            {
                                int s1 = Math.Min(T, s0 + AttentionRowBlock);
                                ManagedGemm.MultiplySerial(true, false, s1 - s0, D, T - s0, dS + (long)s0 * T + s0, T, qq + qo + (long)s0 * qd, qd, true, dK + kvo + (long)s0 * kd, kd);
                                ManagedGemm.MultiplySerial(true, false, s1 - s0, D, T - s0, P + (long)s0 * T + s0, T, dO + qo + (long)s0 * qd, qd, true, dV + kvo + (long)s0 * kd, kd);
                            }
                        }
                    }
                }
            });
        }
    }
}
