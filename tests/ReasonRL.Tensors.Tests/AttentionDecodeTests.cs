// AttentionDecode (one query token per sequence against a KV cache) against the double reference
// causal attention's row at each sequence's length: head dims 1, 4, 7, 8, 9, 32, 33, 64 (vector
// width ± 1, the 32-float output chunk ± 1), group sizes 1–3, ragged lengths per sequence (1, odd,
// the 4-position score step ± 1, up to the capacity), the whole batch and a two-sequence sub-batch,
// inside and outside a SerialScope.
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Tensors.Tests;

public sealed class AttentionDecodeTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(4, 2, 2)]
    [InlineData(7, 3, 1)]
    [InlineData(8, 4, 2)]
    [InlineData(9, 6, 2)]
    [InlineData(32, 4, 2)]
    [InlineData(33, 3, 3)]
    [InlineData(64, 2, 1)]
    public void DecodeMatchesReferenceRowAtEachLength(int d, int heads, int kvHeads)
    {
        var rng = new Random(d * 31 + heads);
        int capacity = 40, qd = heads * d, kd = kvHeads * d;
        int[] lengths = [1, 3, 5, 16, 17, 33, 40];
        int b = lengths.Length;
        // one random sequence of `capacity` tokens per batch slot; the decode query is the row at length − 1
        var q = TestUtil.RandomFloats(rng, b * capacity * qd);
        var k = TestUtil.RandomFloats(rng, b * capacity * kd);
        var v = TestUtil.RandomFloats(rng, b * capacity * kd);
        var expectedFull = new double[q.Length];
        Reference.AttentionForward(TestUtil.ToDouble(q), TestUtil.ToDouble(k), TestUtil.ToDouble(v), b, capacity, heads, kvHeads, d,
            expectedFull, new double[b * heads * capacity * capacity]);
        var qLast = new float[b * qd];
        var expected = new double[b * qd];
        for (int s = 0; s < b; s++)
        {
            q.AsSpan((s * capacity + lengths[s] - 1) * qd, qd).CopyTo(qLast.AsSpan(s * qd));
            expectedFull.AsSpan((s * capacity + lengths[s] - 1) * qd, qd).CopyTo(expected.AsSpan(s * qd));
        }
        var cmp = new TensorComparison();
        var parallelOut = new float[b * qd];
        Kernels.AttentionDecode(qLast, k, v, lengths, b, capacity, heads, kvHeads, d, parallelOut);
        cmp.Add($"decode D={d} H={heads} Hkv={kvHeads}", expected, parallelOut, TestUtil.FloatKernel);
        var serialOut = new float[b * qd];
        using (Kernels.Serial()) Kernels.AttentionDecode(qLast, k, v, lengths, b, capacity, heads, kvHeads, d, serialOut);
        cmp.Add($"decode D={d} serial scope", expected, serialOut, TestUtil.FloatKernel);
        // a sub-batch of two sequences read through offset spans (as the batched decode's slices do)
        int two = 2;
        var pairOut = new float[two * qd];
        Kernels.AttentionDecode(qLast.AsSpan(5 * qd, two * qd), k.AsSpan(5 * capacity * kd), v.AsSpan(5 * capacity * kd), lengths.AsSpan(5, two),
            two, capacity, heads, kvHeads, d, pairOut);
        cmp.Add($"decode D={d} two-sequence sub-batch", expected.AsSpan(5 * qd, two * qd), pairOut, TestUtil.FloatKernel);
        TestUtil.AssertAllOk(cmp, "attention decode vs reference");
    }

    [Fact]
    public void LengthOutsideTheCacheIsRejectedNamingTheSequence()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            Kernels.AttentionDecode(new float[8], new float[16], new float[16], [2, 5], 2, 4, 2, 1, 2, new float[8]));
        Assert.Contains("length 5 of sequence 1", ex.Message);
    }
}
