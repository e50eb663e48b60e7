// ResponseSteps: the one step model shared by the PRM, the shaping and the trainer — a response's
// steps as character spans plus, when the response's token offsets are known, e_k (the index of each
// step's last token). Built once per response so every consumer counts the same K and puts step k's
// reward on the same token. Not a splitter or a tokenizer: it composes StepSplitter and StepTokenMap.
namespace ReasonRL.Rewards.Steps;

/// <param name="Response">The response text.</param>
/// <param name="Spans">[K] step character spans.</param>
/// <param name="EndTokens">[K] step-end token indices, or null when built from text alone.</param>
public sealed record ResponseSteps(string Response, StepSpan[] Spans, int[]? EndTokens)
{
    /// <summary>K.</summary>
    public int Count => Spans.Length;

    /// <summary>Steps from text alone (offline scoring, PRM input building).</summary>
    public static ResponseSteps Of(StepSplitter splitter, string response)
    {
        ArgumentNullException.ThrowIfNull(splitter);
        return new ResponseSteps(response, splitter.Split(response), null);
    }

    /// <summary>Steps with their end tokens in the policy's token space.</summary>
    /// <param name="offsets">[T] the response tokens' character ranges.</param>
    public static ResponseSteps Of(StepSplitter splitter, string response, ReadOnlySpan<TokenOffset> offsets)
    {
        ArgumentNullException.ThrowIfNull(splitter);
        var spans = splitter.Split(response);
        return new ResponseSteps(response, spans, StepTokenMap.StepEndTokens(spans, offsets));
    }

    /// <summary>The K step texts, in order (what a PRM joins with its own separator, docs/reward-methods.md §8).</summary>
    public string[] Texts() => Array.ConvertAll(Spans, s => s.TextOf(Response));
}
