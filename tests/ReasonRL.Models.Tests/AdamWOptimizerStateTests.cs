// AdamWOptimizer.CaptureState / RestoreState: a restored optimizer continues bit for bit like the
// original (moments and bias-correction step), and a state of the wrong size is refused by name.
using ReasonRL.Models;
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Models.Tests;

public sealed class AdamWOptimizerStateTests
{
    private static SlabLayout Layout()
    {
        var layout = new SlabLayout();
        layout.Add("w", 3, 5);
        layout.Add("b", 7);
        return layout;
    }

    private static void Fill(NativeSlab slab, int seed)
    {
        var rng = new Random(seed);
        foreach (var e in slab.Layout.Entries)
        {
            var v = slab.View(e);
            for (int i = 0; i < v.Length; i++) v[i] = (float)(rng.NextDouble() - 0.5);
        }
    }

    [Fact]
    public void RestoredOptimizerContinuesBitwiseIdentically()
    {
        var layout = Layout();
        var options = new AdamWOptions { LearningRate = 0.05f, WeightDecay = 0.1f };
        using var p1 = new NativeSlab(layout);
        using var p2 = new NativeSlab(layout);
        using var g = new NativeSlab(layout);
        using var a = new AdamWOptimizer(layout, options);
        Fill(p1, 1);
        for (int s = 0; s < 3; s++) { Fill(g, 10 + s); a.Update(p1, g, 1.0); }
        var state = a.CaptureState();
        Assert.Equal(3, state.Step);
        p2.CopyFrom(p1);
        using var b = new AdamWOptimizer(layout, options);
        b.RestoreState(state);
        for (int s = 3; s < 6; s++)
        {
            Fill(g, 10 + s); a.Update(p1, g, 1.0);
            Fill(g, 10 + s); b.Update(p2, g, 1.0);
        }
        Assert.Equal(p1.Range(0, (int)p1.Length).ToArray(), p2.Range(0, (int)p2.Length).ToArray());
        Assert.Equal(6, b.Step);
    }

    [Fact]
    public void AStateOfAnotherLayoutIsRefused()
    {
        using var a = new AdamWOptimizer(Layout(), new AdamWOptions());
        var other = new SlabLayout();
        other.Add("w", 2);
        using var b = new AdamWOptimizer(other, new AdamWOptions());
        var e = Assert.Throws<ArgumentException>(() => a.RestoreState(b.CaptureState()));
        Assert.Contains("expected", e.Message);
    }
}
