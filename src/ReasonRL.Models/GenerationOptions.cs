// GenerationOptions: the immutable settings of one Generator.GenerateBatch call — sampling
// (temperature, top-k, top-p; temperature 0 = greedy), the new-token budget, and stop conditions
// (EOS ids, stop strings checked through a caller-supplied decode function).
// What it is not: an RNG (the caller owns seeded Rng streams) or a tokenizer.
// References: Hugging Face GenerationConfig (temperature/top_k/top_p/max_new_tokens/stop_strings),
// vLLM SamplingParams (stop, stop_token_ids).
namespace ReasonRL.Models;

/// <summary>Settings of a batched generation; validated by <see cref="Validate"/>.</summary>
public sealed record GenerationOptions
{
    /// <summary>Softmax temperature; 0 = greedy (argmax, top-k/top-p ignored).</summary>
    public float Temperature { get; init; } = 1f;

    /// <summary>Keep only the K most likely tokens; 0 = no top-k filter.</summary>
    public int TopK { get; init; }

    /// <summary>Keep the smallest most-likely set whose probability reaches P (nucleus); 1 = no filter.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Most new tokens per sequence; a sequence that reaches it finishes with <see cref="FinishReason.Length"/>.</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>Token ids that end a sequence (the EOS token is kept as its last token).</summary>
    public IReadOnlyList<int> EosIds { get; init; } = [];

    /// <summary>Strings that end a sequence once they appear in its decoded continuation (needs <see cref="Decode"/>).</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Ids → text, used only for stop strings (e.g. <c>ids =&gt; tokenizer.Decode(ids)</c>).</summary>
    public Func<int[], string>? Decode { get; init; }

    /// <summary>Called after every batched decode step with (steps done, sequences still running):
    /// for progress display. Runs on the generating thread; keep it cheap.</summary>
    public Action<int, int>? Progress { get; init; }

    /// <summary>Throws an actionable error naming the bad field and the accepted range.</summary>
    public void Validate()
    {
        if (Temperature < 0 || !float.IsFinite(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), $"generation: Temperature must be finite and >= 0, got {Temperature}");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), $"generation: TopK must be >= 0 (0 = off), got {TopK}");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), $"generation: TopP must be in (0, 1], got {TopP}");
        if (MaxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), $"generation: MaxNewTokens must be >= 1, got {MaxNewTokens}");
        foreach (var s in StopStrings)
            if (string.IsNullOrEmpty(s)) throw new ArgumentException("generation: StopStrings must not contain an empty string", nameof(StopStrings));
        if (StopStrings.Count > 0 && Decode is null) throw new ArgumentException("generation: StopStrings need a Decode function (ids → text)", nameof(Decode));
    }
}

/// <summary>Why a sequence ended.</summary>
public enum FinishReason
{
    /// <summary>An EOS id was sampled or a stop string appeared.</summary>
    Stop,

    /// <summary>MaxNewTokens were generated.</summary>
    Length,
}

/// <summary>One sequence's continuation: sampled ids, their log-probs under the sampling distribution, and why it ended.</summary>
public sealed record GenerationResult(int[] Tokens, float[] LogProbs, FinishReason FinishReason);
