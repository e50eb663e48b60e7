// SftSchedule: the order in which SftTrainer.Train visits the data — for each epoch one seeded
// Fisher–Yates permutation (Xoshiro256** from the seed, epochs drawn in sequence), cut into batches
// of BatchSize (the last batch of an epoch may be smaller). A pure function of (n, options), so a
// resumed run recomputes the same plan and continues at its step index.
// What it is not: the trainer (SftTrainer.cs).
using ReasonRL.Core;

namespace ReasonRL.Training.Sft;

/// <summary>Seeded batch plan of an SFT run.</summary>
public static class SftSchedule
{
    /// <summary>Every update's example indices, in order (epochs · ⌈n / batch⌉ updates).</summary>
    public static IReadOnlyList<int[]> Plan(int count, SftOptions options)
    {
        if (count <= 0) throw new ArgumentException("SFT: the training set is empty");
        var rng = new Rng(options.Seed);
        var plan = new List<int[]>();
        var order = new int[count];
        for (int e = 0; e < options.Epochs; e++)
        {
            for (int i = 0; i < count; i++) order[i] = i;
            for (int i = count - 1; i > 0; i--)
            {
                int j = rng.NextInt(i + 1);
                (order[i], order[j]) = (order[j], order[i]);
            }
            for (int s = 0; s < count; s += options.BatchSize)
                plan.Add(order[s..Math.Min(count, s + options.BatchSize)]);
        }
        return plan;
    }
}
