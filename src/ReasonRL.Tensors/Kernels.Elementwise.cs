// Element-wise kernels (fast): token embedding, SwiGLU, residual add, bias add — forward/backward pairs.
// References: Reference.EmbeddingForward/Backward, SwiGluForward/Backward, ResidualForward/Backward.
using System.Numerics.Tensors;

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
            const int block = 4096;
            ForRanges((len + block - 1) / block, block * 4, (s, e) =>
            {
                int i0 = s * block, i1 = Math.Min(len, e * block);
                var gs = new ReadOnlySpan<float>(g + i0, i1 - i0);
                var os = new Span<float>(o + i0, i1 - i0);
                TensorPrimitives.Sigmoid(gs, os);
                TensorPrimitives.Multiply(os, gs, os);
                TensorPrimitives.Multiply(os, new ReadOnlySpan<float>(u + i0, i1 - i0), os);
            });
        }
    }

    /// <summary>Backward of SwiGLU (accumulates): dUp += dy·silu(g); dGate += dy·u·σ(g)(1 + g(1 − σ(g))).</summary>
    public static void SwiGluBackward(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, ReadOnlySpan<float> dOutput,
        Span<float> dGate, Span<float> dUp)
    {
        RequireLength("SwiGluBackward", "dGate", dGate.Length, gate.Length);
        RequireLength("SwiGluBackward", "dUp", dUp.Length, gate.Length);
        int len = gate.Length;
        fixed (float* pg = gate) fixed (float* pu = up) fixed (float* pdy = dOutput) fixed (float* pdg = dGate) fixed (float* pdu = dUp)
        {
            float* g = pg, u = pu, dy = pdy, dg = pdg, du = pdu;
            const int block = 1024;
            ForRanges((len + block - 1) / block, block * 8, (s, e) =>
            {
                float* sig = stackalloc float[block];
                float* tmp = stackalloc float[block];
                float* tmp2 = stackalloc float[block];
                for (int i0 = s * block; i0 < Math.Min(len, e * block); i0 += block)
                {
                    int cnt = Math.Min(block, len - i0);
                    var gs = new ReadOnlySpan<float>(g + i0, cnt);
                    var sg = new Span<float>(sig, cnt);
                    var t = new Span<float>(tmp, cnt);
                    var dys = new ReadOnlySpan<float>(dy + i0, cnt);
                    TensorPrimitives.Sigmoid(gs, sg);
                    TensorPrimitives.Multiply(gs, sg, t);                          // silu(g)
                    TensorPrimitives.MultiplyAdd(dys, t, new Span<float>(du + i0, cnt), new Span<float>(du + i0, cnt));
                    // σ(1 + g(1 − σ)) = σ + silu(g)·(1 − σ); dGate += dy · u · that.
                    var t2 = new Span<float>(tmp2, cnt);
                    TensorPrimitives.Subtract(1f, sg, t2);
                    TensorPrimitives.Multiply(t2, t, t2);
                    TensorPrimitives.Add(t2, sg, t2);
                    TensorPrimitives.Multiply(t2, new ReadOnlySpan<float>(u + i0, cnt), t2);
                    TensorPrimitives.MultiplyAdd(t2, dys, new Span<float>(dg + i0, cnt), new Span<float>(dg + i0, cnt));
                }
            });
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
