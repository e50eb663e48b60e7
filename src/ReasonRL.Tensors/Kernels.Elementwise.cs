// Element-wise kernels (fast): token embedding, SwiGLU, residual add, bias add — forward/backward pairs.
// References: Reference.EmbeddingForward/Backward, SwiGluForward/Backward, ResidualForward/Backward.
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace ReasonRL.Tensors;

public static unsafe partial class Kernels
{
    /// <summary>output[n, :] = table[tokens[n], :]. tokens [N], table [V, C], output [N, C].</summary>
    public static void EmbeddingForward(ReadOnlySpan<int> tokens, ReadOnlySpan<float> table, int width, Span<float> output)
    {
        if (width == 0) return;
        int vocab = table.Length / width;
        for (int n = 0; n < tokens.Length; n++)
        {
            int id = tokens[n];
            if ((uint)id >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(tokens), $"EmbeddingForward: token {id} at row {n} outside [0, {vocab})");
            table.Slice(id * width, width).CopyTo(output.Slice(n * width, width));
        }
    }

    /// <summary>dTable[tokens[n], :] += dOutput[n, :] (accumulates; serial so repeated ids never race).</summary>
    public static void EmbeddingBackward(ReadOnlySpan<int> tokens, ReadOnlySpan<float> dOutput, int width, Span<float> dTable)
    {
        for (int n = 0; n < tokens.Length; n++)
        {
            var dst = dTable.Slice(tokens[n] * width, width);
            TensorPrimitives.Add(dst, dOutput.Slice(n * width, width), dst);
        }
    }

    /// <summary>output = silu(gate) ⊙ up, all [N·F].</summary>
    public static void SwiGluForward(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, Span<float> output)
    {
        RequireLength("SwiGluForward", "output", output.Length, gate.Length);
        int len = gate.Length;
        fixed (float* pg = gate) fixed (float* pu = up) fixed (float* po = output)
        {
            float* g = pg, u = pu, o = po;
            const int block = 2048;   // two passes per block over 8 KB slices that stay in L1
            ForRanges((len + block - 1) / block, block * 4, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                for (int i0 = s * block, end = Math.Min(len, e * block); i0 < end; i0 += block)
                {
                    int cnt = Math.Min(block, end - i0);
                    var gs = new ReadOnlySpan<float>(g + i0, cnt);
                    var os = new Span<float>(o + i0, cnt);
                    TensorPrimitives.Sigmoid(gs, os);
                    SiluTimesUp(g + i0, u + i0, o + i0, cnt);
                }
            });
        }
    }

    /// <summary>
    /// Backward of SwiGLU: dUp += dy·silu(g); dGate += dy·u·σ(g)(1 + g(1 − σ(g))). With
    /// <paramref name="accumulate"/> false it overwrites dGate/dUp instead (no clear pass, no read of
    /// the old values: the transformer's backward, where these buffers start empty every layer).
    /// </summary>
    public static void SwiGluBackward(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, ReadOnlySpan<float> dOutput,
        Span<float> dGate, Span<float> dUp, bool accumulate = true)
    {
        RequireLength("SwiGluBackward", "dGate", dGate.Length, gate.Length);
        RequireLength("SwiGluBackward", "dUp", dUp.Length, gate.Length);
        int len = gate.Length;
        fixed (float* pg = gate) fixed (float* pu = up) fixed (float* pdy = dOutput) fixed (float* pdg = dGate) fixed (float* pdu = dUp)
        {
            float* g = pg, u = pu, dy = pdy, dg = pdg, du = pdu;
            const int block = 2048;
            ForRanges((len + block - 1) / block, block * 8, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                float* sig = stackalloc float[block];
                for (int i0 = s * block, end = Math.Min(len, e * block); i0 < end; i0 += block)
                {
                    int cnt = Math.Min(block, end - i0);
                    TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(g + i0, cnt), new Span<float>(sig, cnt));
                    SwiGluBackwardBlock(g + i0, u + i0, dy + i0, sig, dg + i0, du + i0, cnt, accumulate);
                }
            });
        }
    }

    /// <summary>o[i] = s[i]·g[i]·u[i] where o holds s = σ(g) on entry (the second, fused pass of SwiGluForward).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SiluTimesUp(float* g, float* u, float* o, int n)
    {
        int i = 0;
        for (; i + 8 <= n; i += 8) (Vector256.Load(o + i) * Vector256.Load(g + i) * Vector256.Load(u + i)).Store(o + i);
        for (; i < n; i++) o[i] = o[i] * g[i] * u[i];
    }

    /// <summary>
    /// One fused pass of SwiGLU backward given s = σ(g): silu = g·s; du (+)= dy·silu;
    /// dg (+)= dy·u·(s + silu·(1 − s)) (= dy·u·σ(g)(1 + g(1 − σ(g)))).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SwiGluBackwardBlock(float* g, float* u, float* dy, float* sig, float* dg, float* du, int n, bool accumulate)
    {
        int i = 0;
        var one = Vector256.Create(1f);
        for (; i + 8 <= n; i += 8)
        {
            var sv = Vector256.Load(sig + i);
            var silu = Vector256.Load(g + i) * sv;
            var dyv = Vector256.Load(dy + i);
            var dUp = dyv * silu;
            var dGate = dyv * Vector256.Load(u + i) * (sv + silu * (one - sv));
            if (accumulate)
            {
                dUp += Vector256.Load(du + i);
                dGate += Vector256.Load(dg + i);
            }
            dUp.Store(du + i);
            dGate.Store(dg + i);
        }
        for (; i < n; i++)
        {
            float sv = sig[i], silu = g[i] * sv;
            float dUp = dy[i] * silu, dGate = dy[i] * u[i] * (sv + silu * (1f - sv));
            du[i] = accumulate ? du[i] + dUp : dUp;
            dg[i] = accumulate ? dg[i] + dGate : dGate;
        }
    }

    /// <summary>output = a + b, all [N·C] (the residual connection).</summary>
    public static void ResidualForward(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> output) =>
        TensorPrimitives.Add(a, b, output);

    /// <summary>Backward of the residual add: dA += dOutput, dB += dOutput.</summary>
    public static void ResidualBackward(ReadOnlySpan<float> dOutput, Span<float> dA, Span<float> dB)
    {
        TensorPrimitives.Add(dA, dOutput, dA);
        TensorPrimitives.Add(dB, dOutput, dB);
    }

    /// <summary>output[n, :] += bias for every row n. output [N, W], bias [W].</summary>
    public static void BiasForward(ReadOnlySpan<float> bias, int rows, Span<float> output)
    {
        int w = bias.Length;
        for (int n = 0; n < rows; n++) TensorPrimitives.Add(output.Slice(n * w, w), bias, output.Slice(n * w, w));
    }

    /// <summary>Backward of the bias add: dBias += Σ_n dOutput[n, :].</summary>
    public static void BiasBackward(ReadOnlySpan<float> dOutput, int rows, Span<float> dBias)
    {
        int w = dBias.Length;
        for (int n = 0; n < rows; n++) TensorPrimitives.Add(dBias, dOutput.Slice(n * w, w), dBias);
    }

    /// <summary>output = max(0, input).</summary>
    public static void ReluForward(ReadOnlySpan<float> input, Span<float> output) => TensorPrimitives.Max(input, 0f, output);

    /// <summary>Backward of ReLU (accumulates): dInput += dOutput where input &gt; 0.</summary>
    public static void ReluBackward(ReadOnlySpan<float> input, ReadOnlySpan<float> dOutput, Span<float> dInput)
    {
        RequireLength("ReluBackward", "dInput", dInput.Length, input.Length);
        for (int i = 0; i < input.Length; i++) if (input[i] > 0f) dInput[i] += dOutput[i];
    }
}
