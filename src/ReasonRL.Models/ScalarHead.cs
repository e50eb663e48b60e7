// ScalarHead: one number per position from the final hidden state — the value model (critic) and the
// outcome reward model (ORM) head; read it at any position (the last token for an ORM, every token
// for a critic). value[n] = hidden[n, :] · w (+ b). Keys: "{prefix}.weight" [1, C] (+ "{prefix}.bias" [1]),
// prefix e.g. "value_head" (OpenRLHF critic) or "score" (HF AutoModelForSequenceClassification).
// What it is not: the PRM head (PrmHead: hidden→hidden, ReLU, →2).
// Glossary: N rows (B·T), C width.
using ReasonRL.Core;
using ReasonRL.Tensors;

namespace ReasonRL.Models;

/// <summary>Linear C → 1 head with forward/backward and its own parameter and gradient slabs.</summary>
public sealed class ScalarHead : IDisposable
{
    private readonly SlabEntry _weight;
    private readonly SlabEntry? _bias;
    private float[] _values = [];

    public int Width { get; }
    public SlabLayout Layout { get; }
    public NativeSlab Parameters { get; }
    public NativeSlab Gradients { get; }

    public ScalarHead(int width, string prefix = "value_head", bool bias = false)
    {
        Width = width;
        Layout = new SlabLayout();
        _weight = Layout.Add(prefix + ".weight", 1, width);
        _bias = bias ? Layout.Add(prefix + ".bias", 1) : null;
        Parameters = new NativeSlab(Layout);
        Gradients = new NativeSlab(Layout);
    }

    /// <summary>N(0, std²) weight, zero bias.</summary>
    public void InitializeRandom(int seed, float std = 0.02f) => ParameterLayout.FillNormal(new Rng(unchecked((ulong)seed)), Parameters.View(_weight), std);

    /// <summary>values [N] = hidden [N, C] · w (+ b). The returned span is valid until the next Forward.</summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> hidden, int rows)
    {
        if (_values.Length < rows) _values = new float[rows];
        var w = Parameters.View(_weight);
        float b = _bias is null ? 0f : Parameters.View(_bias)[0];
        for (int n = 0; n < rows; n++)
            _values[n] = System.Numerics.Tensors.TensorPrimitives.Dot(hidden.Slice(n * Width, Width), w) + b;
        return _values.AsSpan(0, rows);
    }

    /// <summary>Backward (accumulates): dHidden[n] += dValues[n]·w; dw += Σ_n dValues[n]·hidden[n]; db += Σ dValues.</summary>
    public void Backward(ReadOnlySpan<float> hidden, ReadOnlySpan<float> dValues, int rows, Span<float> dHidden)
    {
        var w = Parameters.View(_weight);
        var dw = Gradients.View(_weight);
        float db = 0;
        for (int n = 0; n < rows; n++)
        {
            float g = dValues[n];
            if (g == 0f) continue;
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(w, g, dHidden.Slice(n * Width, Width), dHidden.Slice(n * Width, Width));
            System.Numerics.Tensors.TensorPrimitives.MultiplyAdd(hidden.Slice(n * Width, Width), g, dw, dw);
            db += g;
        }
        if (_bias is not null) Gradients.View(_bias)[0] += db;
    }

    /// <summary>Double reference of Forward (for tests): values[n] = Σ_c hidden[n,c]·w[c] + b.</summary>
    public static void ReferenceForward(ReadOnlySpan<double> hidden, ReadOnlySpan<double> weight, double bias, int rows, int width, Span<double> values) =>
        Reference.LinearForward(hidden, weight, [bias], rows, width, 1, values);

    /// <summary>Double reference of Backward (accumulates).</summary>
    public static void ReferenceBackward(ReadOnlySpan<double> hidden, ReadOnlySpan<double> weight, ReadOnlySpan<double> dValues, int rows, int width,
        Span<double> dHidden, Span<double> dWeight, Span<double> dBias) =>
        Reference.LinearBackward(hidden, weight, dValues, rows, width, 1, dHidden, dWeight, dBias);

    public void Dispose()
    {
        Parameters.Dispose();
        Gradients.Dispose();
    }
}
