// StepTokenMap: maps step character spans to e_k, the index of the last response token of step k
// (docs/reward-methods.md §1 notation), which is where the trainer places step k's reward.
// Not the splitter (StepSplitter) and not a tokenizer (offsets come in as data).
//
// Rule: e_k = the largest token index i with offsets[i].Start < span.End, i.e. the last token that
// starts before the step's last character ends — the token that writes (or completes) that character.
//   * a step that ends inside a token (a BPE token spanning "…=4\nStep") maps to that straddling token,
//     which is also the first token of the next step: both steps' ends agree with the text they need;
//   * several tokens with one shared range (bytes of one multi-byte character) → the last of them,
//     the one that completes the character;
//   * empty-range tokens (special tokens, EOS at the end) start at or after the end of the text they
//     follow, so they never end a step placed before them;
//   * a span beyond every token (tokenisation drift, truncated response) snaps to the last token (§3.4);
//   * two steps inside one token map to the same index; the trainer then adds both rewards there.
// Offsets must have non-decreasing Start (what every left-to-right tokenizer produces); that is checked.
namespace ReasonRL.Rewards.Steps;

/// <summary>Step spans → step-end token indices in the policy's token space.</summary>
public static class StepTokenMap
{
    /// <summary>For each step k, e_k = max{ i : offsets[i].Start &lt; steps[k].End } (snapped to the last
    /// token when the step lies past every token). O(K log T) by binary search.</summary>
    /// <param name="steps">[K] step spans in order.</param>
    /// <param name="offsets">[T] token character ranges, Start non-decreasing.</param>
    /// <returns>[K] token indices in [0, T); non-decreasing.</returns>
    /// <exception cref="ArgumentException">No tokens while steps exist, decreasing Start, or End &lt; Start.</exception>
    public static int[] StepEndTokens(ReadOnlySpan<StepSpan> steps, ReadOnlySpan<TokenOffset> offsets)
    {
        if (steps.Length == 0) return [];
        if (offsets.Length == 0)
        {
            throw new ArgumentException($"{steps.Length} step(s) but the response has 0 tokens; a step needs a token to end on", nameof(offsets));
        }
        Validate(offsets);
        var ends = new int[steps.Length];
        for (var k = 0; k < steps.Length; k++)
        {
            var found = LastStartingBefore(offsets, steps[k].End);
            // A step whose end precedes every token start cannot happen for spans inside the text the
            // offsets cover; treat it like drift and clamp to the first token.
            ends[k] = found < 0 ? 0 : found;
        }
        return ends;
    }

    /// <summary>Reference implementation (linear scan, same rule) used by tests to check the binary search.</summary>
    internal static int[] StepEndTokensReference(ReadOnlySpan<StepSpan> steps, ReadOnlySpan<TokenOffset> offsets)
    {
        var ends = new int[steps.Length];
        for (var k = 0; k < steps.Length; k++)
        {
            var last = 0;
            for (var i = 0; i < offsets.Length; i++)
            {
                if (offsets[i].Start < steps[k].End) last = i;
            }
            ends[k] = last;
        }
        return ends;
    }

    private static int LastStartingBefore(ReadOnlySpan<TokenOffset> offsets, int end)
    {
        // Largest i with offsets[i].Start < end; Start is non-decreasing, so binary search the boundary.
        int lo = 0, hi = offsets.Length; // answer + 1 lies in [lo, hi]
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            if (offsets[mid].Start < end) lo = mid + 1; else hi = mid;
        }
        return lo - 1;
    }

    private static void Validate(ReadOnlySpan<TokenOffset> offsets)
    {
        for (var i = 0; i < offsets.Length; i++)
        {
            if (offsets[i].End < offsets[i].Start || offsets[i].Start < 0)
            {
                throw new ArgumentException($"token {i} has offsets {offsets[i]}; expected 0 ≤ Start ≤ End", nameof(offsets));
            }
            if (i > 0 && offsets[i].Start < offsets[i - 1].Start)
            {
                throw new ArgumentException($"token {i} starts at {offsets[i].Start}, before token {i - 1} ({offsets[i - 1].Start}); expected non-decreasing Start", nameof(offsets));
            }
        }
    }
}
