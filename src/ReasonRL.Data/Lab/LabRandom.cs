// LabRandom: SplitMix64, the generator's own seeded random stream. Not System.Random: its seeded
// algorithm is an implementation detail of the runtime, and lab problems must be identical on every
// runtime version. Reference: Steele, Lea, Flood, "Fast splittable pseudorandom number generators"
// (OOPSLA 2014); constants as in Vigna's splitmix64.c.
namespace ReasonRL.Data.Lab;

internal sealed class LabRandom
{
    private ulong _state;

    public LabRandom(ulong seed) => _state = seed;

    /// <summary>A stream for (seed, stream id): distinct ids give unrelated streams.</summary>
    public static LabRandom ForStream(int seed, ulong streamId) =>
        new(Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ Mix(streamId + 0x632BE59BD9B4E019UL)));

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform integer in [minInclusive, maxInclusive] (Lemire's multiply-shift; the bias is
    /// below 2^-32 for the lab's ranges and does not matter for a synthetic task).</summary>
    public int Next(int minInclusive, int maxInclusive)
    {
        if (maxInclusive < minInclusive) throw new ArgumentOutOfRangeException(nameof(maxInclusive), $"{maxInclusive} < {minInclusive}");
        ulong range = (ulong)((long)maxInclusive - minInclusive + 1);
        ulong high = (ulong)(((UInt128)NextUInt64() * range) >> 64);
        return (int)((long)minInclusive + (long)high);
    }

    /// <summary>Uniform double in [0, 1) from the top 53 bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
