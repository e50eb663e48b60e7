// Shared helpers of the model tests: small configs that exercise GQA, biases, tied/untied heads;
// non-trivial random parameters; the comparison-table assertion; named tolerances.
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Models.Tests;

internal static class ModelTestUtil
{
    /// <summary>V 11, C 16, F 24, L 2, H 4, Hkv 2 (D 4): GQA groups of 2, q/k/v biases, RoPE.</summary>
    public static ModelConfig Tiny(bool tied = true, bool bias = true) => new()
    {
        VocabSize = 11, HiddenSize = 16, IntermediateSize = 24, LayerCount = 2, HeadCount = 4, KvHeadCount = 2,
        RopeTheta = 10000, RmsNormEps = 1e-6f, MaxPositionEmbeddings = 32, TieWordEmbeddings = tied, AttentionBias = bias,
    };

    /// <summary>
    /// Tiny configs by name: "qwen2" (<see cref="Tiny"/>: biases, tied), "qwen3" (per-head q/k norms,
    /// D 6 so H·D = 24 ≠ C = 16, no biases, untied) and "llama3" (no biases, D 8 ≠ C/H, rope_scaling
    /// llama3 with original context 128: wavelengths 6.3, 63, 628, 6283 fall in the high, middle, low
    /// and low bands) and "smollm3" (no biases, layer 0 without RoPE).
    /// </summary>
    public static ModelConfig TinyVariant(string name) => name switch
    {
        "qwen2" => Tiny(),
        "qwen3" => Tiny(tied: false, bias: false) with { ModelType = "qwen3", ExplicitHeadDim = 6 },
        "llama3" => Tiny(tied: true, bias: false) with
        {
            ModelType = "llama",
            ExplicitHeadDim = 8,
            RopeTheta = 10000,
            RopeScaling = new RopeScaling { Factor = 8, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositionEmbeddings = 128 },
        },
        "smollm3" => Tiny(tied: true, bias: false) with { ModelType = "smollm3", NoRopeLayers = [0, 1] },
        _ => throw new ArgumentException($"unknown tiny variant \"{name}\""),
    };

    /// <summary>Random parameters with std 0.3 (so gradients are O(0.1), not the 1e-4 of a 0.02 init),
    /// norm weights 1 + N(0, 0.1²), non-zero biases.</summary>
    public static void RandomizeForTests(ParameterLayout layout, NativeSlab parameters, int seed)
    {
        var rng = new Rng(unchecked((ulong)seed));
        foreach (var e in layout.Slab.Entries)
        {
            var v = parameters.View(e);
            if (ParameterLayout.IsNormWeight(e.Name))
            {
                ParameterLayout.FillNormal(rng, v, 0.1f);
                for (int i = 0; i < v.Length; i++) v[i] += 1f;
            }
            else ParameterLayout.FillNormal(rng, v, 0.3f);
        }
    }

    public static int[] RandomTokens(Random rng, int count, int vocab) =>
        Enumerable.Range(0, count).Select(_ => rng.Next(vocab)).ToArray();

    public static int[] RandomTokens(Rng rng, int count, int vocab) =>
        Enumerable.Range(0, count).Select(_ => rng.NextInt(vocab)).ToArray();

    public static void AssertAllOk(TensorComparison cmp, string context)
    {
        Assert.True(cmp.Rows.Count > 0, $"{context}: nothing was compared");
        Assert.True(cmp.AllOk, $"{context}\n{cmp.Render()}");
    }

    /// <summary>Double FD vs analytic, h = 1e-6 on an O(1) loss: truncation O(h²) ≈ 1e-12, round-off
    /// ≈ 1e-16/h = 1e-10; 1e-7 absolute + 1e-5 relative leaves margin for the deeper composition.</summary>
    public static readonly Tolerance FiniteDifference = new("fd-double", 1e-7, 1e-5);

    /// <summary>Float model vs double reference: float eps 6e-8 compounded over ~10 sequential kernels
    /// with reductions of ≤ 24 terms on O(1) values gives ~1e-5; 5e-5 absolute + 1e-3 relative.</summary>
    public static readonly Tolerance FloatModel = new("float-model-vs-double", 5e-5, 1e-3);
}
