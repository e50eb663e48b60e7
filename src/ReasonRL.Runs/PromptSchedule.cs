// PromptSchedule: which prompts PPO step s trains on — the prompt list read as an endless stream of
// seeded permutations (epoch e = the e-th Fisher–Yates shuffle of one Xoshiro256** stream seeded
// with the run seed), cut into consecutive windows of P prompts: step s takes stream positions
// [s·P, (s+1)·P). A pure function of (n, P, seed, s), so a resumed run trains on exactly the prompts
// the uninterrupted run would have. What it is not: the PPO trainer's own RNG (sampling, minibatches).
using ReasonRL.Core;
using ReasonRL.Training;

namespace ReasonRL.Runs;

/// <summary>Deterministic prompt batches for PPO steps.</summary>
public sealed class PromptSchedule
{
    private readonly int count, perStep;
    private readonly Rng rng;
    private readonly List<int[]> epochs = [];

    /// <summary>Schedules <paramref name="promptCount"/> prompts, <paramref name="promptsPerStep"/> per step.</summary>
    public PromptSchedule(int promptCount, int promptsPerStep, ulong seed)
    {
        if (promptCount < 1) throw new ArgumentException("prompt schedule: no prompts");
        if (promptsPerStep < 1) throw new ArgumentOutOfRangeException(nameof(promptsPerStep), promptsPerStep, "expected ≥ 1");
        count = promptCount;
        perStep = promptsPerStep;
        rng = new Rng(seed ^ 0x5052_4F4D_5054_5331UL);   // "PROMPTS1": a stream apart from the trainer's
    }

    /// <summary>Prompt indices of 0-based step <paramref name="step"/>.</summary>
    public int[] At(long step)
    {
        var result = new int[perStep];
        for (int i = 0; i < perStep; i++)
        {
            long pos = step * perStep + i;
            int epoch = (int)(pos / count);
            while (epochs.Count <= epoch) epochs.Add(Shuffle());
            result[i] = epochs[epoch][pos % count];
        }
        return result;
    }

    private int[] Shuffle()
    {
        var order = new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        for (int i = count - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
