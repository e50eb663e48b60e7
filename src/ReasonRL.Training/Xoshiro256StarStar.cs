// Xoshiro256StarStar: a small, fast, seedable RNG whose full state (4 × uint64) can be read and
// restored, so a resumed run draws exactly the numbers an uninterrupted run would. Seeding expands
// one uint64 through SplitMix64 as the authors recommend. Lives in ReasonRL.Training for now; the
// sampler (generation) should use it too and may move it to a lower project later.
// What it is not: cryptographic, or thread-safe (one instance per consumer).
// Reference: Blackman & Vigna, https://prng.di.unimi.it/xoshiro256starstar.c and splitmix64.c
// (algorithm re-typed from the published description).
namespace ReasonRL.Training;

/// <summary>xoshiro256** with get/set state.</summary>
public sealed class Xoshiro256StarStar
{
    private ulong s0, s1, s2, s3;

    /// <summary>Seeds from one value via SplitMix64.</summary>
    public Xoshiro256StarStar(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix64(ref x); s1 = SplitMix64(ref x); s2 = SplitMix64(ref x); s3 = SplitMix64(ref x);
    }

    /// <summary>Restores from a saved state (4 words, not all zero).</summary>
    public Xoshiro256StarStar(IReadOnlyList<ulong> state) => State = [.. state];

    /// <summary>The full state; setting it throws unless it has 4 words that are not all zero.</summary>
    public ulong[] State
    {
        get => [s0, s1, s2, s3];
        set
        {
            if (value.Length != 4) throw new ArgumentException($"Xoshiro256StarStar.State: expected 4 words, got {value.Length}.");
            if ((value[0] | value[1] | value[2] | value[3]) == 0) throw new ArgumentException("Xoshiro256StarStar.State: the all-zero state is invalid.");
            (s0, s1, s2, s3) = (value[0], value[1], value[2], value[3]);
        }
    }

    /// <summary>Next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = RotateLeft(s1 * 5, 7) * 9;
        ulong t = s1 << 17;
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3;
        s2 ^= t;
        s3 = RotateLeft(s3, 45);
        return result;
    }

    /// <summary>Uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, <paramref name="bound"/>) without modulo bias (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "expected > 0");
        ulong b = (ulong)bound;
        ulong threshold = (0 - b) % b;
        while (true)
        {
            ulong r = NextUInt64();
            ulong hi = Math.BigMul(r, b, out ulong lo);
            if (lo >= threshold) return (int)hi;
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>SplitMix64 step (used for seeding).</summary>
    public static ulong SplitMix64(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
