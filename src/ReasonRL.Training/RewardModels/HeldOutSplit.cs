// HeldOutSplit: splits reward-model examples into training and held-out sets BY GROUP, so every response
// to one question lands on the same side (otherwise near-duplicate steps of one problem leak across the
// split and inflate held-out accuracy). Groups are shuffled with the seed (Xoshiro256**, Fisher–Yates)
// and taken for the held-out set until it holds at least the asked fraction of examples. Examples without
// a group are each their own group. Not the trainer.
using ReasonRL.Core;

namespace ReasonRL.Training.RewardModels;

public static class HeldOutSplit
{
    /// <summary>(Train, HeldOut) with about <paramref name="heldOutFraction"/> of the examples held out
    /// (0 → none; at least one group when the fraction is positive and there are two or more groups).</summary>
    public static (List<RewardModelExample> Train, List<RewardModelExample> HeldOut) ByGroup(IReadOnlyList<RewardModelExample> examples, double heldOutFraction, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (!(heldOutFraction >= 0 && heldOutFraction < 1)) throw new ArgumentException($"held-out fraction must be in [0, 1), got {heldOutFraction}");
        var groups = new List<List<RewardModelExample>>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var e in examples)
        {
            if (e.GroupId is { } g && index.TryGetValue(g, out int at))
            {
                groups[at].Add(e);
                continue;
            }
            if (e.GroupId is { } id) index[id] = groups.Count;
            groups.Add([e]);
        }
        var rng = new Rng(seed);
        for (int i = groups.Count - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (groups[i], groups[j]) = (groups[j], groups[i]);
        }
        var train = new List<RewardModelExample>();
        var heldOut = new List<RewardModelExample>();
        int target = (int)Math.Ceiling(heldOutFraction * examples.Count);
        foreach (var group in groups)
        {
            bool hold = heldOut.Count < target && (groups.Count > 1 && heldOut.Count + group.Count < examples.Count);
            (hold ? heldOut : train).AddRange(group);
        }
        return (train, heldOut);
    }
}
