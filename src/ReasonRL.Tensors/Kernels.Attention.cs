// Causal grouped-query attention for training (fast): forward saving the softmax probabilities, and
// backward. The single-token decode against a KV cache is in Kernels.AttentionDecode.cs.
// Reference: Reference.AttentionForward/Backward.
// What it is: per (sequence, kv head) work items in parallel. An item packs its K and V once (for
// the G query heads that share them) into the GEMM's [K, NR] strips, then runs every product —
// Q·Kᵀ, P·V and, backward, dO·Vᵀ, dS·K, dSᵀ·Q, Pᵀ·dO — as 6-row micro-tiles of ManagedGemm's
// register kernel (ManagedGemm.MicroTile; A read in place from the head-strided rows or columns, no
// copies), stopping each row block at its diagonal so the masked upper triangle is mostly skipped.
// Softmax is explicit with the row max subtracted. Items are (b, kv head) — not (b, h) — so the G
// query heads sharing a kv head accumulate dK/dV on one thread (no races).
// What it is not: flash attention (probs [B,H,T,T] are stored for backward).
// Glossary: B sequences, T tokens, H heads, Hkv kv heads, G = H/Hkv, D head dim, NR micro-tile width.
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ReasonRL.Tensors;

public static unsafe partial class Kernels
{
    [ThreadStatic] private static float[]? t_attnScratch;

    /// <summary>This thread's grow-only pinned scratch for the attention kernels (training and decode; one kernel at a time).</summary>
    private static float[] AttnScratch(long size) =>
        t_attnScratch is { } s && s.LongLength >= size ? s : (t_attnScratch = GC.AllocateUninitializedArray<float>((int)size, pinned: true));

    /// <summary>
    /// q [B,T,H·D], k/v [B,T,Hkv·D] → output [B,T,H·D], probs [B,H,T,T] (softmax rows, zero above the diagonal).
    /// </summary>
    public static void AttentionForward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v,
        int batch, int tokens, int heads, int kvHeads, int headDim, Span<float> output, Span<float> probs) =>
        AttentionForward(q, k, v, batch, tokens, heads, kvHeads, headDim, output, probs, ManagedGemm.DefaultTileWidth);

    /// <summary>As above with an explicit micro-tile width (16 or 32), so tests cover both kernels on any machine.</summary>
    internal static void AttentionForward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v,
        int batch, int tokens, int heads, int kvHeads, int headDim, Span<float> output, Span<float> probs, int tileWidth)
    {
        int qd = heads * headDim, kd = kvHeads * headDim, g = heads / kvHeads, T = tokens, D = headDim;
        RequireLength("AttentionForward", "q", q.Length, (long)batch * T * qd);
        RequireLength("AttentionForward", "k", k.Length, (long)batch * T * kd);
        RequireLength("AttentionForward", "v", v.Length, (long)batch * T * kd);
        RequireLength("AttentionForward", "output", output.Length, (long)batch * T * qd);
        RequireLength("AttentionForward", "probs", probs.Length, (long)batch * heads * T * T);
        if (T == 0 || D == 0) return;
        float scale = 1f / MathF.Sqrt(D);
        int nr = tileWidth is 16 or 32 ? tileWidth : throw new ArgumentOutOfRangeException(nameof(tileWidth), $"attention tile width must be 16 or 32, got {tileWidth}"), mrMax = ManagedGemm.MicroRows;
        int keyStrips = (T + nr - 1) / nr, dStrips = (D + nr - 1) / nr;
        long kPack = (long)keyStrips * D * nr, vPack = (long)dStrips * T * nr;
        fixed (float* pq = q) fixed (float* pk = k) fixed (float* pv = v) fixed (float* po = output) fixed (float* pp = probs)
        {
            float* qq = pq, kk = pk, vv = pv, oo = po, pr = pp;
            ForRanges(batch * kvHeads, (long)g * T * T * D, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                var scratch = AttnScratch(kPack + vPack + mrMax * nr);
                fixed (float* sp = scratch)
                {
                    float* kp = sp, vp = sp + kPack, tile = vp + vPack;
                    for (int item = s; item < e; item++)
                    {
                        int b = item / kvHeads, kh = item % kvHeads;
                        float* kb = kk + (long)b * T * kd + kh * D, vb = vv + (long)b * T * kd + kh * D;
                        // Kᵀ as the B of Q·Kᵀ ([D, NR] strips over keys); V as the B of P·V ([T, NR] strips over D)
                        for (int js = 0; js < keyStrips; js++) ManagedGemm.PackStrip(nr, true, kb, kd, D, T, js, kp + (long)js * D * nr);
                        for (int ds = 0; ds < dStrips; ds++) ManagedGemm.PackStrip(nr, false, vb, kd, T, D, ds, vp + (long)ds * T * nr);
                        for (int h = kh * g; h < kh * g + g; h++)
                        {
                            float* qb = qq + (long)b * T * qd + h * D, ob = oo + (long)b * T * qd + h * D;
                            float* P = pr + ((long)b * heads + h) * T * T;
                            for (int r0 = 0; r0 < T; r0 += mrMax)
                            {
                                int mr = Math.Min(mrMax, T - r0), last = r0 + mr - 1;
                                // scores[r0:last+1, 0:last+1] = Q · Kᵀ (whole strips; past-diagonal entries are zeroed below)
                                for (int js = 0; js <= last / nr; js++)
                                    ManagedGemm.MicroTile(nr, D, qb + (long)r0 * qd, qd, 1, mr, Math.Min(nr, T - js * nr), kp + (long)js * D * nr, false, P + (long)r0 * T + js * nr, T, tile);
                                for (int t = r0; t <= last; t++)
                                {
                                    SoftmaxRow(P + (long)t * T, t + 1, scale);
                                    new Span<float>(P + (long)t * T + t + 1, T - t - 1).Clear();
                                }
                                // out[r0:last+1] = P[r0:last+1, 0:last+1] · V[0:last+1]
                                for (int ds = 0; ds < dStrips; ds++)
                                    ManagedGemm.MicroTile(nr, last + 1, P + (long)r0 * T, T, 1, mr, Math.Min(nr, D - ds * nr), vp + (long)ds * T * nr, false, ob + (long)r0 * qd + ds * nr, qd, tile);
                            }
                        }
                    }
                }
            });
        }
    }

    /// <summary>Backward of causal GQA attention; accumulates dq [B,T,H·D], dk/dv [B,T,Hkv·D].</summary>
    public static void AttentionBackward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v,
        ReadOnlySpan<float> probs, ReadOnlySpan<float> dOutput, int batch, int tokens, int heads, int kvHeads, int headDim,
        Span<float> dq, Span<float> dk, Span<float> dv) =>
        AttentionBackward(q, k, v, probs, dOutput, batch, tokens, heads, kvHeads, headDim, dq, dk, dv, ManagedGemm.DefaultTileWidth);

    /// <summary>As above with an explicit micro-tile width (16 or 32).</summary>
    internal static void AttentionBackward(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v,
        ReadOnlySpan<float> probs, ReadOnlySpan<float> dOutput, int batch, int tokens, int heads, int kvHeads, int headDim,
        Span<float> dq, Span<float> dk, Span<float> dv, int tileWidth)
    {
        int qd = heads * headDim, kd = kvHeads * headDim, g = heads / kvHeads, T = tokens, D = headDim;
        RequireLength("AttentionBackward", "dq", dq.Length, (long)batch * T * qd);
        RequireLength("AttentionBackward", "dk", dk.Length, (long)batch * T * kd);
        RequireLength("AttentionBackward", "dv", dv.Length, (long)batch * T * kd);
        RequireLength("AttentionBackward", "probs", probs.Length, (long)batch * heads * T * T);
        if (T == 0 || D == 0) return;
        float scale = 1f / MathF.Sqrt(D);
        int nr = tileWidth is 16 or 32 ? tileWidth : throw new ArgumentOutOfRangeException(nameof(tileWidth), $"attention tile width must be 16 or 32, got {tileWidth}"), mrMax = ManagedGemm.MicroRows;
        int keyStrips = (T + nr - 1) / nr, dStrips = (D + nr - 1) / nr;
        long tt = (long)T * T, keyPack = (long)keyStrips * D * nr, rowPack = (long)dStrips * T * nr;
        fixed (float* pq = q) fixed (float* pk = k) fixed (float* pv = v) fixed (float* pp = probs) fixed (float* pdo = dOutput)
        fixed (float* pdq = dq) fixed (float* pdk = dk) fixed (float* pdv = dv)
        {
            float* qq = pq, kk = pk, vv = pv, pr = pp, dO = pdo, dQ = pdq, dK = pdk, dV = pdv;
            ForRanges(batch * kvHeads, 2L * g * T * T * D, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                var scratch = AttnScratch(tt + keyPack + 3 * rowPack + mrMax * nr);
                fixed (float* sp = scratch)
                {
                    // dS [T, T]; Vᵀ as the B of dO·Vᵀ; K, Q (this head), dO (this head) as [T, NR] strips over D
                    float* dS = sp, vtp = sp + tt, knp = vtp + keyPack, qnp = knp + rowPack, onp = qnp + rowPack, tile = onp + rowPack;
                    for (int item = s; item < e; item++)
                    {
                        int b = item / kvHeads, kh = item % kvHeads;
                        long kvo = (long)b * T * kd + kh * D;
                        for (int js = 0; js < keyStrips; js++) ManagedGemm.PackStrip(nr, true, vv + kvo, kd, D, T, js, vtp + (long)js * D * nr);
                        for (int ds = 0; ds < dStrips; ds++) ManagedGemm.PackStrip(nr, false, kk + kvo, kd, T, D, ds, knp + (long)ds * T * nr);
                        for (int h = kh * g; h < kh * g + g; h++)
                        {
                            long qo = (long)b * T * qd + h * D;
                            float* P = pr + ((long)b * heads + h) * tt;
                            for (int ds = 0; ds < dStrips; ds++)
                            {
                                ManagedGemm.PackStrip(nr, false, qq + qo, qd, T, D, ds, qnp + (long)ds * T * nr);
                                ManagedGemm.PackStrip(nr, false, dO + qo, qd, T, D, ds, onp + (long)ds * T * nr);
                            }
                            for (int r0 = 0; r0 < T; r0 += mrMax)
                            {
                                int mr = Math.Min(mrMax, T - r0), last = r0 + mr - 1;
                                // dP[r0:last+1, 0:last+1] = dO · Vᵀ   (out = P·V)
                                for (int js = 0; js <= last / nr; js++)
                                    ManagedGemm.MicroTile(nr, D, dO + qo + (long)r0 * qd, qd, 1, mr, Math.Min(nr, T - js * nr), vtp + (long)js * D * nr, false, dS + (long)r0 * T + js * nr, T, tile);
                                // softmax backward: dz_s = p_s (dp_s − Σ_r p_r dp_r) · scale (z = scale·q·k)
                                for (int t = r0; t <= last; t++)
                                {
                                    SoftmaxRowBackward(P + (long)t * T, dS + (long)t * T, t + 1, scale);
                                    new Span<float>(dS + (long)t * T + t + 1, T - t - 1).Clear();
                                }
                                // dQ[r0:last+1] += dS[r0:last+1, 0:last+1] · K[0:last+1]
                                for (int ds = 0; ds < dStrips; ds++)
                                    ManagedGemm.MicroTile(nr, last + 1, dS + (long)r0 * T, T, 1, mr, Math.Min(nr, D - ds * nr), knp + (long)ds * T * nr, true, dQ + qo + (long)r0 * qd + ds * nr, qd, tile);
                            }
                            // dK[s] += Σ_{t≥s} dS[t,s] q[t];  dV[s] += Σ_{t≥s} P[t,s] dO[t]: A = columns s0.. of dS / P, rows t ≥ s0
                            for (int s0 = 0; s0 < T; s0 += mrMax)
                            {
                                int ms = Math.Min(mrMax, T - s0), kc = T - s0;
                                for (int ds = 0; ds < dStrips; ds++)
                                {
                                    int ncol = Math.Min(nr, D - ds * nr);
                                    long packOffset = (long)ds * T * nr + (long)s0 * nr, outOffset = kvo + (long)s0 * kd + ds * nr;
                                    ManagedGemm.MicroTile(nr, kc, dS + (long)s0 * T + s0, 1, T, ms, ncol, qnp + packOffset, true, dK + outOffset, kd, tile);
                                    ManagedGemm.MicroTile(nr, kc, P + (long)s0 * T + s0, 1, T, ms, ncol, onp + packOffset, true, dV + outOffset, kd, tile);
                                }
                            }
                        }
                    }
                }
            });
        }
    }

    /// <summary>In place: x[i] ← exp(scale·(x[i] − max x)) / Σ_j exp(scale·(x[j] − max x)) over n ≥ 1 floats (scale &gt; 0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SoftmaxRow(float* x, int n, float scale)
    {
        var row = new Span<float>(x, n);
        float max = TensorPrimitives.Max(row);
        var vmax = Vector256.Create(max);
        var vscale = Vector256.Create(scale);
        var acc = Vector256<float>.Zero;
        int i = 0;
        for (; i + 8 <= n; i += 8)
        {
            var e = Vector256.Exp((Vector256.Load(x + i) - vmax) * vscale);
            e.Store(x + i);
            acc += e;
        }
        float sum = Vector256.Sum(acc);
        for (; i < n; i++)
        {
            float e = MathF.Exp((x[i] - max) * scale);
            x[i] = e;
            sum += e;
        }
        TensorPrimitives.Multiply(row, 1f / sum, row);
    }

    /// <summary>In place over n floats: d[i] ← p[i]·(d[i] − Σ_j p[j]·d[j])·scale (softmax backward, then the score scale).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SoftmaxRowBackward(float* p, float* d, int n, float scale)
    {
        float dot = TensorPrimitives.Dot(new ReadOnlySpan<float>(p, n), new ReadOnlySpan<float>(d, n));
        var vdot = Vector256.Create(dot);
        var vscale = Vector256.Create(scale);
        int i = 0;
        for (; i + 8 <= n; i += 8) (Vector256.Load(p + i) * (Vector256.Load(d + i) - vdot) * vscale).Store(d + i);
        for (; i < n; i++) d[i] = p[i] * (d[i] - dot) * scale;
    }
}
