// Activation reuse: a Transformer that ran a larger batch first re-carves its activation slabs for a
// smaller shape (TrainingActivations.Reshape) instead of allocating new ones; the loss and every
// gradient must be bit-identical to a fresh model's on that shape, and the allocation must be reused.
using ReasonRL.Models;
using ReasonRL.Tensors;

namespace ReasonRL.Models.Tests;

public sealed class ActivationReuseTests
{
    private static readonly ModelConfig Config = ModelShapes.For("micro", 40, 1, [2], 64);

    private static (float Loss, float[] Grads) Step(Transformer model, int batch, int tokens, int seed)
    {
        var rng = new Random(seed);
        var ids = Enumerable.Range(0, batch * tokens).Select(_ => rng.Next(3, 40)).ToArray();
        var targets = Enumerable.Range(0, batch * tokens).Select(i => i % tokens == tokens - 1 ? -1 : ids[i + 1]).ToArray();
        model.ZeroGradients();
        float loss = model.ForwardLoss(ids, targets, batch, tokens);
        model.BackwardLoss(targets);
        return (loss, model.Gradients!.Range(0, (int)model.Gradients.Length).ToArray());
    }

    [Fact]
    public void Smaller_shape_after_a_larger_one_reuses_the_allocation_and_matches_a_fresh_model_bitwise()
    {
        using var reused = new Transformer(Config, new ManagedGemm());
        using var fresh = new Transformer(Config, new ManagedGemm());
        reused.InitializeRandom(3);
        fresh.InitializeRandom(3);
        Step(reused, 4, 24, seed: 1);
        var capacity = reused.Activations.Saved.Capacity;
        var a = Step(reused, 3, 17, seed: 2);
        Assert.Equal(capacity, reused.Activations.Saved.Capacity);   // re-carved, not reallocated
        Assert.Equal((3, 17), (reused.Activations.Batch, reused.Activations.Tokens));
        var b = Step(fresh, 3, 17, seed: 2);
        Assert.Equal(b.Loss, a.Loss);
        Assert.Equal(b.Grads, a.Grads);
    }

    [Fact]
    public void Relayout_refuses_a_layout_larger_than_the_allocation()
    {
        var small = new SlabLayout();
        small.Add("x", 4);
        var large = new SlabLayout();
        large.Add("x", 400);
        using var slab = new NativeSlab(small);
        slab["x"].Fill(1);
        Assert.False(slab.TryRelayout(large));
        Assert.Equal(small.TotalLength, slab.Length);
        Assert.Equal(1, slab["x"][0]);
        var smaller = new SlabLayout();
        smaller.Add("y", 3);
        Assert.True(slab.TryRelayout(smaller));
        Assert.Equal([0f, 0f, 0f], slab["y"].ToArray());   // zeroed like a fresh slab
    }
}
