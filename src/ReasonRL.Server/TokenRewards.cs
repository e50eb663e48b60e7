// TokenRewards: per-token rewards for verl's reward tensor, built server-side from the policy's tokenizer so
// that a client sends response token ids and needs no tokenizer logic (docs/serve.md, "token_rewards").
//   Decode: ids → the response text (special tokens skipped, as verl's solution_str) plus each token's
//           character range in that text. Byte-level BPE may split one character over several tokens; such
//           tokens are decoded together and all get the character's range (StepTokenMap then picks the last,
//           the one that completes it). Special tokens get an empty range at their position.
//   Place:  token_rewards[e_k] += shaped reward of step k (e_k = StepTokenMap's step-end token), and the
//           last token gets success + ORM + format/length terms, so Σ token_rewards = total_return and the
//           tokens of step j see Σ_{k≥j} r_k + outcome as their return (docs/serve.md, "POST /v1/rewards").
// Not the splitter, not the verifier: spans come from RewardService's diagnostics.
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Steps;
using ReasonRL.Text;
using TokenOffset = ReasonRL.Rewards.Steps.TokenOffset;

namespace ReasonRL.Server;

public sealed class TokenRewards(ITokenizer tokenizer)
{
    /// <summary>Longest run of tokens decoded together while a character is incomplete (UTF-8 needs ≤ 4 bytes;
    /// byte-level tokens carry ≥ 1 each), after which the run is accepted as it decodes.</summary>
    private const int MaxRun = 4;

    public ITokenizer Tokenizer { get; } = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));

    /// <summary>The response text of <paramref name="ids"/> and each token's range in it.</summary>
    /// <exception cref="SampleException">No ids, or an id outside the vocabulary (kind "tokens").</exception>
    public (string Text, TokenOffset[] Offsets) Decode(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count == 0) throw new SampleException("tokens", "response_ids is empty; expected the response's token ids");
        for (var i = 0; i < ids.Count; i++)
        {
            if ((uint)ids[i] >= (uint)Tokenizer.VocabSize)
            {
                throw new SampleException("tokens", $"response_ids[{i}] = {ids[i]}; expected an id in [0, {Tokenizer.VocabSize}) of the server's tokenizer");
            }
        }
        var text = new System.Text.StringBuilder();
        var offsets = new TokenOffset[ids.Count];
        var all = ids as int[] ?? ids.ToArray();
        var start = 0;
        while (start < all.Length)
        {
            var end = start + 1;
            var piece = Tokenizer.Decode(all.AsSpan(start, 1), skipSpecialTokens: true);
            while (EndsIncomplete(piece) && end < all.Length && end - start < MaxRun)
            {
                end++;
                var longer = Tokenizer.Decode(all.AsSpan(start, end - start), skipSpecialTokens: true);
                piece = longer;
                if (!EndsIncomplete(longer)) break;
            }
            var from = text.Length;
            text.Append(piece);
            for (var t = start; t < end; t++) offsets[t] = new TokenOffset(from, text.Length);
            start = end;
        }
        return (text.ToString(), offsets);
    }

    // A lone token holding only the first bytes of a multi-byte character decodes to U+FFFD at its end.
    private static bool EndsIncomplete(string piece) => piece.Length > 0 && piece[^1] == '\uFFFD';

    /// <summary>[T] rewards aligned with the response ids: step rewards on their steps' last tokens, the outcome
    /// terms (success + ORM + extra) on the last token.</summary>
    public static double[] Place(RewardDiagnostics d, TokenOffset[] offsets)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(offsets);
        var rewards = new double[offsets.Length];
        var steps = d.Steps as StepSpan[] ?? d.Steps.ToArray();
        var ends = StepTokenMap.StepEndTokens(steps, offsets);
        for (var k = 0; k < ends.Length; k++) rewards[ends[k]] += d.StepRewards[k];
        rewards[^1] += d.Success + d.OrmTerm + d.ExtraTerms;
        return rewards;
    }
}
