// PrmHead: the process reward model's token-classification head in the Qwen2.5-Math-PRM layout:
// logits[n, 0..1] = W2 · relu(W0 · hidden[n] + b0) + b2, keys score.0.weight [C, C], score.0.bias [C],
// score.2.weight [2, C], score.2.bias [2] (nn.Sequential(Linear, ReLU, Linear)). A step's reward is
// softmax(logits at the step's last token)[1]. What it is not: the step segmentation (ReasonRL.Rewards).
// Glossary: N rows (B·T), C width.
// Reference: Qwen/Qwen2.5-Math-PRM-7B modeling (Qwen2ForProcessRewardModel), HF nn.Sequential naming.
using ReasonRL.Core;
using ReasonRL.Tensors;

namespace ReasonRL.Models;

/// <summary>hidden → hidden → ReLU → 2 head with forward/backward and its own slabs.</summary>
public sealed class PrmHead : IDisposable
{
    private readonly IGemm _gemm;
    private readonly SlabEntry _w0, _b0, _w2, _b2;
    private float[] _pre = [], _act = [], _logits = [], _dAct = [];
    private int _rows;

    public const int Classes = 2;
    public int Width { get; }
    public SlabLayout Layout { get; }
    public NativeSlab Parameters { get; }
    public NativeSlab Gradients { get; }

    public PrmHead(int width, IGemm gemm)
    {
        Width = width;
        _gemm = gemm;
        Layout = new SlabLayout();
        _w0 = Layout.Add("score.0.weight", width, width);
        _b0 = Layout.Add("score.0.bias", width);
        _w2 = Layout.Add("score.2.weight", Classes, width);
        _b2 = Layout.Add("score.2.bias", Classes);
        Parameters = new NativeSlab(Layout);
        Gradients = new NativeSlab(Layout);
    }

    /// <summary>N(0, std²) weights, zero biases.</summary>
    public void InitializeRandom(int seed, float std = 0.02f)
    {
        var rng = new Rng(unchecked((ulong)seed));
        ParameterLayout.FillNormal(rng, Parameters.View(_w0), std);
        ParameterLayout.FillNormal(rng, Parameters.View(_w2), std);
    }

    /// <summary>logits [N, 2] from hidden [N, C]; saves the pre-activation for backward.</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> hidden, int rows)
    {
        int c = Width;
        if (_pre.Length < rows * c) { _pre = new float[rows * c]; _act = new float[rows * c]; _dAct = new float[rows * c]; }
        if (_logits.Length < rows * Classes) _logits = new float[rows * Classes];
        _rows = rows;
        var pre = _pre.AsSpan(0, rows * c);
        var act = _act.AsSpan(0, rows * c);
        var logits = _logits.AsSpan(0, rows * Classes);
        _gemm.Multiply(Transpose.No, Transpose.Yes, rows, c, c, hidden, c, Parameters.View(_w0), c, false, pre, c);
        Kernels.BiasForward(Parameters.View(_b0), rows, pre);
        Kernels.ReluForward(pre, act);
        _gemm.Multiply(Transpose.No, Transpose.Yes, rows, Classes, c, act, c, Parameters.View(_w2), c, false, logits, Classes);
        Kernels.BiasForward(Parameters.View(_b2), rows, logits);
        return logits;
    }

    /// <summary>P(step correct) = softmax(logits[n])[1] for one row of the last Forward.</summary>
    public float PositiveProbability(int row)
    {
        float z0 = _logits[row * Classes], z1 = _logits[row * Classes + 1];
        return 1f / (1f + MathF.Exp(z0 - z1));
    }

    /// <summary>Backward from dLogits [N, 2] of the last Forward (accumulates dHidden [N, C] and the head's gradients).</summary>
    public void Backward(ReadOnlySpan<float> hidden, ReadOnlySpan<float> dLogits, Span<float> dHidden)
    {
        int rows = _rows, c = Width;
        var pre = _pre.AsSpan(0, rows * c);
        var act = _act.AsSpan(0, rows * c);
        var dAct = _dAct.AsSpan(0, rows * c);
        // logits = act · W2ᵀ + b2
        _gemm.Multiply(Transpose.No, Transpose.No, rows, c, Classes, dLogits, Classes, Parameters.View(_w2), c, false, dAct, c);
        _gemm.Multiply(Transpose.Yes, Transpose.No, Classes, c, rows, dLogits, Classes, act, c, true, Gradients.View(_w2), c);
        Kernels.BiasBackward(dLogits, rows, Gradients.View(_b2));
        // act = relu(pre): dPre = dAct where pre > 0 (computed in place into act's buffer, no longer needed)
        act.Clear();
        Kernels.ReluBackward(pre, dAct, act);
        var dPre = act;
        // pre = hidden · W0ᵀ + b0
        _gemm.Multiply(Transpose.No, Transpose.No, rows, c, c, dPre, c, Parameters.View(_w0), c, true, dHidden, c);
        _gemm.Multiply(Transpose.Yes, Transpose.No, c, c, rows, dPre, c, hidden, c, true, Gradients.View(_w0), c);
        Kernels.BiasBackward(dPre, rows, Gradients.View(_b0));
        _rows = 0;   // the saved activations were consumed
    }

    /// <summary>Double reference forward (for tests): returns logits [N, 2]; pre [N, C] saved for the backward.</summary>
    public static double[] ReferenceForward(ReadOnlySpan<double> hidden, ReadOnlySpan<double> w0, ReadOnlySpan<double> b0,
        ReadOnlySpan<double> w2, ReadOnlySpan<double> b2, int rows, int width, out double[] pre)
    {
        pre = new double[rows * width];
        var act = new double[rows * width];
        var logits = new double[rows * Classes];
        Reference.LinearForward(hidden, w0, b0, rows, width, width, pre);
        Reference.ReluForward(pre, act);
        Reference.LinearForward(act, w2, b2, rows, width, Classes, logits);
        return logits;
    }

    /// <summary>Double reference backward (accumulates into every d-buffer).</summary>
    public static void ReferenceBackward(ReadOnlySpan<double> hidden, ReadOnlySpan<double> w0, ReadOnlySpan<double> w2, ReadOnlySpan<double> pre,
        ReadOnlySpan<double> dLogits, int rows, int width, Span<double> dHidden, Span<double> dW0, Span<double> dB0, Span<double> dW2, Span<double> dB2)
    {
        var act = new double[rows * width];
        Reference.ReluForward(pre, act);
        var dAct = new double[rows * width];
        Reference.LinearBackward(act, w2, dLogits, rows, width, Classes, dAct, dW2, dB2);
        var dPre = new double[rows * width];
        Reference.ReluBackward(pre, dAct, dPre);
        Reference.LinearBackward(hidden, w0, dPre, rows, width, width, dHidden, dW0, dB0);
    }

    public void Dispose()
    {
        Parameters.Dispose();
        Gradients.Dispose();
    }
}
