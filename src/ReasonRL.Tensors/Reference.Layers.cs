// Reference kernels, part 1: embedding, RMSNorm, RoPE, causal grouped-query attention, SwiGLU,
// residual add — each a forward/backward pair in plain loops over double (docs/conventions.md §6).
// What it is: the specification the fast float kernels (Kernels.*.cs) are tested against, and the
// subject of the double-precision finite-difference checks. What it is not: fast, or used in training.
// Parameter order (docs/conventions.md §4): inputs → sizes / hyper-parameters → outputs. Backward kernels
// ACCUMULATE (+=) into every d-buffer; callers zero them once per step.
// Glossary: N rows (= B·T tokens), C width, V vocab, T tokens per sequence, B sequences,
// H query heads, Hkv key/value heads, D head dim, F SwiGLU width.
// References: Zhang & Sennrich 2019 (RMSNorm); Su et al. 2021 (RoPE, HF rotate_half layout);
// Ainslie et al. 2023 (GQA); Shazeer 2020 (SwiGLU); HF transformers modeling_qwen2.py.
namespace ReasonRL.Tensors;

/// <summary>Scalar double-precision reference kernels (forward/backward pairs).</summary>
public static partial class Reference
{
    /// <summary>output[n, :] = table[tokens[n], :].</summary>
    public static void EmbeddingForward(ReadOnlySpan<int> tokens, ReadOnlySpan<double> table, int width, Span<double> output)
    {
        for (int n = 0; n < tokens.Length; n++)
            for (int c = 0; c < width; c++) output[n * width + c] = table[tokens[n] * width + c];
    }

    /// <summary>dTable[tokens[n], :] += dOutput[n, :] (accumulates).</summary>
    public static void EmbeddingBackward(ReadOnlySpan<int> tokens, ReadOnlySpan<double> dOutput, int width, Span<double> dTable)
    {
        for (int n = 0; n < tokens.Length; n++)
            for (int c = 0; c < width; c++) dTable[tokens[n] * width + c] += dOutput[n * width + c];
    }

    /// <summary>rstd[n] = 1/√(mean_c x[n,c]² + eps); output[n,c] = x[n,c]·rstd[n]·weight[c].</summary>
    public static void RmsNormForward(ReadOnlySpan<double> input, ReadOnlySpan<double> weight, int rows, int width, double eps,
        Span<double> output, Span<double> rstd)
    {
        for (int n = 0; n < rows; n++)
        {
            double ss = 0;
            for (int c = 0; c < width; c++) ss += input[n * width + c] * input[n * width + c];
            double r = 1.0 / Math.Sqrt(ss / width + eps);
            rstd[n] = r;
            for (int c = 0; c < width; c++) output[n * width + c] = input[n * width + c] * r * weight[c];
        }
    }

    /// <summary>Backward of RMSNorm (accumulates into dInput and dWeight).</summary>
    public static void RmsNormBackward(ReadOnlySpan<double> input, ReadOnlySpan<double> weight, ReadOnlySpan<double> rstd,
        ReadOnlySpan<double> dOutput, int rows, int width, Span<double> dInput, Span<double> dWeight)
    {
        // forward: y_c = w_c · x_c · r, r = (mean x² + eps)^-½, so ∂r/∂x_c = -r³ x_c / C.
        // dx_c = r·(w_c dy_c) - r³ x_c/C · Σ_j w_j dy_j x_j;  dw_c = Σ_n dy_c x_c r.
        for (int n = 0; n < rows; n++)
        {
            double r = rstd[n], dot = 0;
            for (int c = 0; c < width; c++) dot += weight[c] * dOutput[n * width + c] * input[n * width + c];
            for (int c = 0; c < width; c++)
            {
                double x = input[n * width + c], dy = dOutput[n * width + c];
                dInput[n * width + c] += r * weight[c] * dy - r * r * r * x * dot / width;
                dWeight[c] += dy * x * r;
            }
        }
    }

    /// <summary>
    /// In-place rotate-half RoPE on x [N, heads, D] at positions[n]: for i &lt; D/2,
    /// (x_i, x_{i+D/2}) ← (x_i cos − x_{i+D/2} sin, x_{i+D/2} cos + x_i sin), angle = pos·θ^(−2i/D)
    /// with cos/sin read from tables [maxPos, D/2].
    /// </summary>
    public static void RopeForward(ReadOnlySpan<int> positions, ReadOnlySpan<double> cos, ReadOnlySpan<double> sin,
        int heads, int headDim, Span<double> x)
    {
        int half = headDim / 2;
        for (int n = 0; n < positions.Length; n++)
            for (int h = 0; h < heads; h++)
            {
                int b = (n * heads + h) * headDim, t = positions[n] * half;
                for (int i = 0; i < half; i++)
                {
                    double x1 = x[b + i], x2 = x[b + i + half];
                    x[b + i] = x1 * cos[t + i] - x2 * sin[t + i];
                    x[b + i + half] = x2 * cos[t + i] + x1 * sin[t + i];
                }
            }
    }

    /// <summary>In-place backward of RoPE: dx ← Rᵀ·dy (the rotation is orthogonal; dx replaces dy).</summary>
    public static void RopeBackward(ReadOnlySpan<int> positions, ReadOnlySpan<double> cos, ReadOnlySpan<double> sin,
        int heads, int headDim, Span<double> dx)
    {
        int half = headDim / 2;
        for (int n = 0; n < positions.Length; n++)
            for (int h = 0; h < heads; h++)
            {
                int b = (n * heads + h) * headDim, t = positions[n] * half;
                for (int i = 0; i < half; i++)
                {
                    // y1 = x1 c − x2 s, y2 = x2 c + x1 s ⇒ dx1 = dy1 c + dy2 s, dx2 = −dy1 s + dy2 c.
                    double d1 = dx[b + i], d2 = dx[b + i + half];
                    dx[b + i] = d1 * cos[t + i] + d2 * sin[t + i];
                    dx[b + i + half] = -d1 * sin[t + i] + d2 * cos[t + i];
                }
            }
    }

    /// <summary>
    /// Causal GQA attention. q [B,T,H·D], k/v [B,T,Hkv·D]; head h reads kv head h/(H/Hkv).
    /// probs[b,h,t,s] = softmax_s≤t(q·k/√D), zero for s &gt; t; output [B,T,H·D] = Σ_s probs·v.
    /// </summary>
    public static void AttentionForward(ReadOnlySpan<double> q, ReadOnlySpan<double> k, ReadOnlySpan<double> v,
        int batch, int tokens, int heads, int kvHeads, int headDim, Span<double> output, Span<double> probs)
    {
        int qd = heads * headDim, kd = kvHeads * headDim, g = heads / kvHeads;
        double scale = 1.0 / Math.Sqrt(headDim);
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
                for (int t = 0; t < tokens; t++)
                {
                    int qo = (b * tokens + t) * qd + h * headDim, po = ((b * heads + h) * tokens + t) * tokens;
                    double max = double.NegativeInfinity;
                    for (int s = 0; s <= t; s++)
                    {
                        int ko = (b * tokens + s) * kd + h / g * headDim;
                        double dot = 0;
                        for (int d = 0; d < headDim; d++) dot += q[qo + d] * k[ko + d];
                        probs[po + s] = dot * scale;
                        max = Math.Max(max, dot * scale);
                    }
                    double sum = 0;
                    for (int s = 0; s <= t; s++) sum += probs[po + s] = Math.Exp(probs[po + s] - max);
                    for (int s = 0; s < tokens; s++) probs[po + s] = s <= t ? probs[po + s] / sum : 0.0;
                    for (int d = 0; d < headDim; d++)
                    {
                        double acc = 0;
                        for (int s = 0; s <= t; s++) acc += probs[po + s] * v[(b * tokens + s) * kd + h / g * headDim + d];
                        output[qo + d] = acc;
                    }
                }
    }

    /// <summary>Backward of causal GQA attention (accumulates into dq, dk, dv).</summary>
    public static void AttentionBackward(ReadOnlySpan<double> q, ReadOnlySpan<double> k, ReadOnlySpan<double> v,
        ReadOnlySpan<double> probs, ReadOnlySpan<double> dOutput, int batch, int tokens, int heads, int kvHeads, int headDim,
        Span<double> dq, Span<double> dk, Span<double> dv)
    {
        int qd = heads * headDim, kd = kvHeads * headDim, g = heads / kvHeads;
        double scale = 1.0 / Math.Sqrt(headDim);
        var dp = new double[tokens];
        for (int b = 0; b < batch; b++)
            for (int h = 0; h < heads; h++)
                for (int t = 0; t < tokens; t++)
                {
                    int qo = (b * tokens + t) * qd + h * headDim, po = ((b * heads + h) * tokens + t) * tokens;
                    // out_d = Σ_s p_s v_sd ⇒ dp_s = Σ_d dout_d v_sd, dv_sd += p_s dout_d.
                    for (int s = 0; s <= t; s++)
                    {
                        int vo = (b * tokens + s) * kd + h / g * headDim;
                        double acc = 0;
                        for (int d = 0; d < headDim; d++)
                        {
                            acc += dOutput[qo + d] * v[vo + d];
                            dv[vo + d] += probs[po + s] * dOutput[qo + d];
                        }
                        dp[s] = acc;
                    }
                    // p = softmax(z) ⇒ dz_s = p_s (dp_s − Σ_r p_r dp_r); z_s = scale · q·k_s.
                    double dot = 0;
                    for (int s = 0; s <= t; s++) dot += probs[po + s] * dp[s];
                    for (int s = 0; s <= t; s++)
                    {
                        double dz = probs[po + s] * (dp[s] - dot) * scale;
                        int ko = (b * tokens + s) * kd + h / g * headDim;
                        for (int d = 0; d < headDim; d++)
                        {
                            dq[qo + d] += dz * k[ko + d];
                            dk[ko + d] += dz * q[qo + d];
                        }
                    }
                }
    }

    /// <summary>output = silu(gate) ⊙ up, silu(g) = g·σ(g).</summary>
    public static void SwiGluForward(ReadOnlySpan<double> gate, ReadOnlySpan<double> up, Span<double> output)
    {
        for (int i = 0; i < gate.Length; i++) output[i] = gate[i] / (1 + Math.Exp(-gate[i])) * up[i];
    }

    /// <summary>Backward of SwiGLU (accumulates): dUp += dy·silu(g); dGate += dy·u·σ(g)(1 + g(1 − σ(g))).</summary>
    public static void SwiGluBackward(ReadOnlySpan<double> gate, ReadOnlySpan<double> up, ReadOnlySpan<double> dOutput,
        Span<double> dGate, Span<double> dUp)
    {
        for (int i = 0; i < gate.Length; i++)
        {
            double s = 1 / (1 + Math.Exp(-gate[i]));
            dUp[i] += dOutput[i] * gate[i] * s;
            dGate[i] += dOutput[i] * up[i] * s * (1 + gate[i] * (1 - s));
        }
    }

    /// <summary>output = a + b (the residual connection).</summary>
    public static void ResidualForward(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> output)
    {
        for (int i = 0; i < a.Length; i++) output[i] = a[i] + b[i];
    }

    /// <summary>Backward of the residual add (accumulates dOutput into both dA and dB).</summary>
    public static void ResidualBackward(ReadOnlySpan<double> dOutput, Span<double> dA, Span<double> dB)
    {
        for (int i = 0; i < dOutput.Length; i++)
        {
            dA[i] += dOutput[i];
            dB[i] += dOutput[i];
        }
    }

    /// <summary>y[M,N] = x[M,K] · W[N,K]ᵀ (+ bias[N] when non-empty): the nn.Linear forward.</summary>
    public static void LinearForward(ReadOnlySpan<double> x, ReadOnlySpan<double> weight, ReadOnlySpan<double> bias,
        int rows, int inDim, int outDim, Span<double> y)
    {
        for (int m = 0; m < rows; m++)
            for (int n = 0; n < outDim; n++)
            {
                double acc = bias.IsEmpty ? 0 : bias[n];
                for (int kk = 0; kk < inDim; kk++) acc += x[m * inDim + kk] * weight[n * inDim + kk];
                y[m * outDim + n] = acc;
            }
    }

    /// <summary>Backward of nn.Linear (accumulates): dx += dy·W, dW += dyᵀ·x, dBias += Σ_m dy (when non-empty).</summary>
    public static void LinearBackward(ReadOnlySpan<double> x, ReadOnlySpan<double> weight, ReadOnlySpan<double> dy,
        int rows, int inDim, int outDim, Span<double> dx, Span<double> dWeight, Span<double> dBias)
    {
        for (int m = 0; m < rows; m++)
            for (int n = 0; n < outDim; n++)
            {
                double g = dy[m * outDim + n];
                if (!dBias.IsEmpty) dBias[n] += g;
                for (int kk = 0; kk < inDim; kk++)
                {
                    dx[m * inDim + kk] += g * weight[n * inDim + kk];
                    dWeight[n * inDim + kk] += g * x[m * inDim + kk];
                }
            }
    }

    /// <summary>output = max(0, input).</summary>
    public static void ReluForward(ReadOnlySpan<double> input, Span<double> output)
    {
        for (int i = 0; i < input.Length; i++) output[i] = Math.Max(0, input[i]);
    }

    /// <summary>Backward of ReLU (accumulates): dInput += dOutput where input &gt; 0.</summary>
    public static void ReluBackward(ReadOnlySpan<double> input, ReadOnlySpan<double> dOutput, Span<double> dInput)
    {
        for (int i = 0; i < input.Length; i++) if (input[i] > 0) dInput[i] += dOutput[i];
    }
}
