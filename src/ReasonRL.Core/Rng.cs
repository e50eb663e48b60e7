// Rng: the project's one seedable random generator — xoshiro256** (4 × uint64 of state), seeded by
// expanding one uint64 through SplitMix64 as its authors recommend. Its full state can be read and
// restored (checkpoints save it), so a resumed run draws exactly the numbers an uninterrupted run
// would; ForStream derives an unrelated generator for (seed, stream id), so each sequence, split or
// sample can own its stream and results do not depend on batching or on the order of other draws.
// Every stochastic choice in Models, Data, Training, Runs and the CLI draws from an Rng (model init,
// sampling coins, shuffles, the lab's task generator); System.Random is not used there because its
// seeded algorithm is a runtime implementation detail.
// What it is not: cryptographic, or thread-safe (one instance per consumer).
// Reference: Blackman & Vigna, https://prng.di.unimi.it/xoshiro256starstar.c and splitmix64.c
// (algorithm re-typed from the published description); Lemire, "Fast random integer generation in
// an interval" (2019) for unbiased bounded integers.
namespace ReasonRL.Core;

/// <summary>xoshiro256** with get/set state and (seed, stream) derivation.</summary>
public sealed class Rng
{
    private ulong s0, s1, s2, s3;

    /// <summary>Seeds from one value via SplitMix64.</summary>
    public Rng(ulong seed)
    {
        ulong x = seed;
        s0 = SplitMix64(ref x); s1 = SplitMix64(ref x); s2 = SplitMix64(ref x); s3 = SplitMix64(ref x);
    }

    /// <summary>Restores from a saved <see cref="State"/> (4 words, not all zero).</summary>
    public Rng(IReadOnlyList<ulong> state) => State = [.. state];

    /// <summary>The generator for (<paramref name="seed"/>, <paramref name="stream"/>): distinct stream ids
    /// of one seed (and distinct seeds) give unrelated sequences. Pack two 32-bit ids into the stream id
    /// as (a &lt;&lt; 32) | b when a stream is named by a pair.</summary>
    public static Rng ForStream(ulong seed, ulong stream) =>
        new(Mix(seed * 0x9E3779B97F4A7C15UL ^ Mix(stream + 0x632BE59BD9B4E019UL)));

    /// <summary>The full state (a copy); setting it throws unless it has 4 words that are not all zero.</summary>
    public ulong[] State
    {
        get => [s0, s1, s2, s3];
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            if (value.Length != 4) throw new ArgumentException($"Rng.State: expected 4 words, got {value.Length}.", nameof(value));
            if ((value[0] | value[1] | value[2] | value[3]) == 0) throw new ArgumentException("Rng.State: the all-zero state is invalid; expected at least one non-zero word.", nameof(value));
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

    /// <summary>Uniform float in [0, 1) from the top 24 bits.</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1f / (1 << 24));

    /// <summary>Uniform integer in [0, <paramref name="bound"/>) without modulo bias (Lemire's method).</summary>
    public int NextInt(int bound)
    {
        if (bound <= 0) throw new ArgumentOutOfRangeException(nameof(bound), bound, "Rng.NextInt: expected a bound > 0");
        return (int)NextBelow((ulong)bound);
    }

    /// <summary>Uniform integer in [<paramref name="minInclusive"/>, <paramref name="maxInclusive"/>] without bias.</summary>
    public int NextInt(int minInclusive, int maxInclusive)
    {
        if (maxInclusive < minInclusive)
            throw new ArgumentOutOfRangeException(nameof(maxInclusive), maxInclusive, $"Rng.NextInt: expected maxInclusive >= minInclusive = {minInclusive}");
        return (int)(minInclusive + (long)NextBelow((ulong)((long)maxInclusive - minInclusive + 1)));
    }

    // Lemire: the high word of r·b is uniform on [0, b) once the low words below 2^64 mod b are rejected.
    private ulong NextBelow(ulong bound)
    {
        ulong threshold = (0 - bound) % bound;
        while (true)
        {
            ulong hi = Math.BigMul(NextUInt64(), bound, out ulong lo);
            if (lo >= threshold) return hi;
        }
    }

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    /// <summary>SplitMix64 step (used for seeding).</summary>
    public static ulong SplitMix64(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        return Mix(x);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
