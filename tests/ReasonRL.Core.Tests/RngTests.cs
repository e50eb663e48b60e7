// Rng: the xoshiro256** reference vector, exact resume from a saved state, state validation, the
// ranges of every draw, and stream derivation (deterministic, distinct streams unrelated).
namespace ReasonRL.Core.Tests;

public sealed class RngTests
{
    [Fact]
    public void Reference_vector_and_exact_resume()
    {
        // state (1, 2, 3, 4): the first outputs of the reference xoshiro256starstar.c
        var r = new Rng([1UL, 2, 3, 4]);
        Assert.Equal(new ulong[] { 11520, 0, 1509978240, 1215971899390074240 },
            new[] { r.NextUInt64(), r.NextUInt64(), r.NextUInt64(), r.NextUInt64() });

        var a = new Rng(42);
        for (int i = 0; i < 100; i++) a.NextDouble();
        var saved = a.State;
        var expected = Enumerable.Range(0, 50).Select(_ => a.NextInt(1000)).ToArray();
        var b = new Rng(saved);
        Assert.Equal(expected, Enumerable.Range(0, 50).Select(_ => b.NextInt(1000)).ToArray());
        b.State = saved;
        Assert.Equal(expected, Enumerable.Range(0, 50).Select(_ => b.NextInt(1000)).ToArray());
    }

    [Fact]
    public void Seeding_expands_one_word_through_splitmix64()
    {
        ulong x = 42;
        var words = new[] { Rng.SplitMix64(ref x), Rng.SplitMix64(ref x), Rng.SplitMix64(ref x), Rng.SplitMix64(ref x) };
        Assert.Equal(words, new Rng(42).State);
        // splitmix64.c from seed 0: first output 0xE220A8397B1DCDAF
        ulong z = 0;
        Assert.Equal(0xE220A8397B1DCDAFUL, Rng.SplitMix64(ref z));
    }

    [Fact]
    public void Invalid_states_are_rejected()
    {
        Assert.Contains("all-zero", Assert.Throws<ArgumentException>(() => new Rng([0UL, 0, 0, 0])).Message, StringComparison.Ordinal);
        Assert.Contains("expected 4 words, got 3", Assert.Throws<ArgumentException>(() => new Rng([1UL, 2, 3])).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rng(1).NextInt(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rng(1).NextInt(5, 4));
    }

    [Fact]
    public void Draws_stay_in_range_and_cover_it()
    {
        var r = new Rng(7);
        var seenBound = new bool[7];
        var seenRange = new bool[5];
        for (int i = 0; i < 10_000; i++)
        {
            double d = r.NextDouble();
            Assert.True(d >= 0 && d < 1, $"NextDouble gave {d}");
            float f = r.NextSingle();
            Assert.True(f >= 0f && f < 1f, $"NextSingle gave {f}");
            int k = r.NextInt(7);
            Assert.InRange(k, 0, 6);
            seenBound[k] = true;
            int m = r.NextInt(-2, 2);
            Assert.InRange(m, -2, 2);
            seenRange[m + 2] = true;
        }
        Assert.All(seenBound, Assert.True);
        Assert.All(seenRange, Assert.True);
        Assert.Equal(int.MaxValue, new Rng(1).NextInt(int.MaxValue, int.MaxValue));
        Assert.InRange(new Rng(3).NextInt(int.MinValue, int.MaxValue), int.MinValue, int.MaxValue);
    }

    [Fact]
    public void Bounded_integers_are_unbiased()
    {
        // bound 3: chi-squared over 30,000 draws, 2 degrees of freedom; 13.8 is the 0.999 quantile
        var r = new Rng(11);
        var counts = new int[3];
        for (int i = 0; i < 30_000; i++) counts[r.NextInt(3)]++;
        double chi2 = counts.Sum(c => (c - 10_000.0) * (c - 10_000.0) / 10_000.0);
        Assert.True(chi2 < 13.8, $"chi-squared {chi2} over counts {string.Join(", ", counts)}; expected < 13.8");
    }

    [Fact]
    public void Streams_are_deterministic_and_distinct()
    {
        static ulong[] Head(Rng r) => [r.NextUInt64(), r.NextUInt64(), r.NextUInt64()];
        Assert.Equal(Head(Rng.ForStream(5, 1)), Head(Rng.ForStream(5, 1)));
        var heads = new List<ulong[]>();
        foreach (ulong seed in new ulong[] { 0, 1, 5 })
            foreach (ulong stream in new ulong[] { 0, 1, 2, (1UL << 32) | 1 })
                heads.Add(Head(Rng.ForStream(seed, stream)));
        Assert.Equal(heads.Count, heads.Select(h => h[0]).Distinct().Count());
        Assert.NotEqual(Head(new Rng(5)), Head(Rng.ForStream(5, 0)));
    }
}
