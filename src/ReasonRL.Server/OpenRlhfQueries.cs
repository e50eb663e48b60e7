// OpenRlhfQueries: turns one OpenRLHF query back into the response, as OpenRLHF builds it
// (docs/serve.md, "POST /get_reward"): `tokenizer.batch_decode(sequences, skip_special_tokens=False)` gives
// the whole sequence as text — left pad tokens, the chat-templated prompt, the response, then EOS (and right
// pads). Rule: strip leading pad tokens and trailing EOS/pad tokens (the strip set: the served tokenizer's
// pad and EOS tokens plus --strip-tokens), then find the prompt — an exact prefix after stripping; else its
// last occurrence (a system preamble or BOS the prompts field does not carry); else the sample cannot be
// scored (SampleException "prompt_not_found", naming query[i] and prompts[i]).
// Not scoring (RewardService) and not HTTP (RewardServer).
namespace ReasonRL.Server;

public sealed class OpenRlhfQueries
{
    private readonly string[] strip;

    /// <param name="stripTokens">Token strings (e.g. "&lt;|endoftext|&gt;", "&lt;|im_end|&gt;"); longest first is not needed:
    /// each is removed whole, repeatedly, in any order.</param>
    public OpenRlhfQueries(IEnumerable<string> stripTokens)
    {
        ArgumentNullException.ThrowIfNull(stripTokens);
        strip = stripTokens.Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(t => t.Length).ToArray();
    }

    public IReadOnlyList<string> StripTokens => strip;

    /// <summary>The query without leading and trailing strip tokens.</summary>
    public string Strip(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (start, end) = Stripped(query);
        return query[start..end];
    }

    // [start, end) of the query without leading and trailing strip tokens (no copy)
    private (int Start, int End) Stripped(string query)
    {
        int start = 0, end = query.Length;
        for (var moved = true; moved;)
        {
            moved = false;
            foreach (var t in strip)
            {
                if (end - start >= t.Length && string.CompareOrdinal(query, start, t, 0, t.Length) == 0)
                {
                    start += t.Length;
                    moved = true;
                }
            }
        }
        for (var moved = true; moved;)
        {
            moved = false;
            foreach (var t in strip)
            {
                if (end - start >= t.Length && string.CompareOrdinal(query, end - t.Length, t, 0, t.Length) == 0)
                {
                    end -= t.Length;
                    moved = true;
                }
            }
        }
        return (start, end);
    }

    /// <summary>The response of sample <paramref name="index"/>: the stripped query after its prompt (one copy: the response).</summary>
    /// <exception cref="SampleException">The prompt is not in the query (kind "prompt_not_found").</exception>
    public string Response(string query, string prompt, int index)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(prompt);
        var (start, end) = Stripped(query);
        var text = query.AsSpan(start, end - start);
        if (prompt.Length == 0) return text.ToString();
        // the prompt may itself begin with a strip token (e.g. a BOS that is also the pad); compare unstripped too
        if (text.StartsWith(prompt, StringComparison.Ordinal)) return query[(start + prompt.Length)..end];
        var at = text.LastIndexOf(prompt, StringComparison.Ordinal);
        if (at < 0)
        {
            var padded = query.IndexOf(prompt, StringComparison.Ordinal);
            if (padded >= 0) return Strip(query[(padded + prompt.Length)..]);
            throw new SampleException("prompt_not_found",
                $"query[{index}] does not contain prompts[{index}] (after stripping {(strip.Length == 0 ? "no tokens" : string.Join(", ", strip))}); OpenRLHF's query is [pads] + prompt + response [+ EOS]");
        }
        return query[(start + at + prompt.Length)..end];
    }
}
