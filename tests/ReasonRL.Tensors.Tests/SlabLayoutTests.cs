// Slab layout and native slab: ordered offsets, 64-byte alignment of every view, duplicate names rejected.
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Tensors.Tests;

public sealed class SlabLayoutTests
{
    [Fact]
    public void EntriesAreOrderedAlignedAndViewsAreIndependent()
    {
        var layout = new SlabLayout();
        var a = layout.Add("a", 3, 5);
        var b = layout.Add("b", 17);
        var c = layout.Add("c", 0);
        Assert.Equal(0, a.Offset);
        Assert.Equal(16, b.Offset);          // 15 floats rounded up to 16
        Assert.Equal(48, c.Offset);          // 17 floats rounded up to 32
        Assert.Equal(15 + 17, layout.ElementCount);
        using var slab = new NativeSlab(layout);
        slab["a"].Fill(1f);
        slab["b"].Fill(2f);
        Assert.All(slab["a"].ToArray(), x => Assert.Equal(1f, x));
        Assert.All(slab["b"].ToArray(), x => Assert.Equal(2f, x));
        Assert.Equal(0, slab.AddressOf(layout["b"]) % NativeSlab.Alignment);
        Assert.Equal(0, slab.AddressOf(layout["a"]) % NativeSlab.Alignment);
        slab.Clear();
        Assert.All(slab["b"].ToArray(), x => Assert.Equal(0f, x));
    }

    [Fact]
    public void DuplicateAndMissingNamesFailWithTheName()
    {
        var layout = new SlabLayout();
        layout.Add("w", 2);
        Assert.Contains("\"w\"", Assert.Throws<ArgumentException>(() => layout.Add("w", 3)).Message);
        Assert.Contains("\"zz\"", Assert.Throws<KeyNotFoundException>(() => layout["zz"]).Message);
    }
}
