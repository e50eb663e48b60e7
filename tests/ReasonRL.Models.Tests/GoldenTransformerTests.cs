// Golden test against PyTorch (docs/conventions.md §7): the fixtures of tools/reference/make_golden_fixtures.py
// (tied and untied Qwen2-shaped models, GQA, q/k/v biases, RoPE) — logits, loss, every parameter
// gradient and the losses of 10 AdamW steps — compared tensor by tensor with a printed table.
using ReasonRL.Models;
using ReasonRL.Tensors;
using Xunit;
using Xunit.Abstractions;

namespace ReasonRL.Models.Tests;

public sealed class GoldenTransformerTests(ITestOutputHelper output)
{
    // Both sides compute in float32 with different summation orders (PyTorch's MKL/OpenBLAS kernels vs
    // ours): on O(1) activations over ≤ 96-term reductions and 2 layers, round-off is ~1e-6.
    /// <summary>Logits and loss: 2e-5 absolute + 1e-4 relative (≈ 20× the observed float round-off).</summary>
    private static readonly Tolerance Forward = new("float32-vs-pytorch-forward", 2e-5, 1e-4);

    /// <summary>Gradients: magnitudes ~1e-3..1e-1 (loss is a mean over 24 tokens); 1e-5 absolute + 1e-3 relative.</summary>
    private static readonly Tolerance Gradient = new("float32-vs-pytorch-grad", 1e-5, 1e-3);

    /// <summary>AdamW losses after up to 9 steps of lr 1e-3: observed ≤ 5e-7 (float round-off of the loss itself);
    /// Adam's m/√v can turn round-off in near-zero gradients into ±lr steps, so allow 1e-5 absolute.</summary>
    private static readonly Tolerance AdamWLoss = new("adamw-10-steps", 1e-5, 0);

    [Theory]
    [InlineData("tied", GemmKind.Managed)]
    [InlineData("untied", GemmKind.Managed)]
    [InlineData("untied", GemmKind.Reference)]
    public void MatchesPyTorch(string name, GemmKind gemm)
    {
        var fx = GoldenFixture.Load(name);
        var cfg = fx.Config;
        using var model = new Transformer(cfg, GemmFactory.Create(gemm));
        model.LoadParameters(fx.Weights.Floats);
        int b = fx.Batch, t = fx.SeqLen;

        model.ZeroGradients();
        float loss = model.ForwardLoss(fx.InputIds, fx.Targets, b, t);
        var logits = model.Activations.Saved.View(model.Activations.Logits).ToArray();
        model.BackwardLoss(fx.Targets);

        var cmp = new TensorComparison();
        cmp.Add("logits", fx.Logits, logits, Forward);
        cmp.Add("loss", [fx.Loss], [loss], Forward);
        foreach (var e in model.Layout.Slab.Entries)
            cmp.Add("grad." + e.Name, fx.Gradients[e.Name], model.Gradients!.View(e), Gradient);
        Assert.Equal(fx.ParameterNames.Count, model.Layout.Slab.Entries.Count);

        var a = fx.AdamW;
        using var opt = new AdamWOptimizer(model.Layout.Slab, new AdamWOptions
        {
            LearningRate = (float)a.LearningRate, Beta1 = (float)a.Beta1, Beta2 = (float)a.Beta2, Eps = (float)a.Eps, WeightDecay = (float)a.WeightDecay,
        });
        var losses = new float[a.Steps];
        for (int k = 0; k < a.Steps; k++)
        {
            model.ZeroGradients();
            losses[k] = model.ForwardLoss(fx.InputIds, fx.Targets, b, t);
            model.BackwardLoss(fx.Targets);
            opt.Update(model.Parameters, model.Gradients!);   // no clipping: the fixture has none
        }
        cmp.Add("adamw_losses", fx.AdamWLosses, losses, AdamWLoss);
        output.WriteLine(cmp.Render());
        ModelTestUtil.AssertAllOk(cmp, $"golden {name} (gemm {gemm}); regenerate fixtures with: {fx.RegenerateCommand}");
    }
}
