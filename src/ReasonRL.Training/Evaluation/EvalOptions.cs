// EvalOptions: the knobs of one `reasonrl eval` run, each default in one place. Sampling settings
// apply to the sampled modes only (greedy always decodes at temperature 0). Not the data, the model
// or the prompt template (EvalRunner's constructor takes those).
using ReasonRL.Rewards.Steps;
using ReasonRL.Verifier;

namespace ReasonRL.Training.Evaluation;

/// <summary>Options of an evaluation run.</summary>
public sealed record EvalOptions
{
    /// <summary>Scoring rule (greedy, maj@k, pass@k, bon@k).</summary>
    public EvalMode Mode { get; init; } = EvalMode.Greedy;

    /// <summary>pass@k only: n samples per question (n ≥ k) for the unbiased estimator; null = k.</summary>
    public int? PassSamples { get; init; }

    /// <summary>Most sequences decoded together in one batched generation (e.g. 32). A question's
    /// n samples are never split across batches, so a batch holds max(1, B / n) questions.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Most new tokens per response (e.g. 512; Qwen2.5-Math evaluation uses up to 2048–4096).</summary>
    public int MaxNewTokens { get; init; } = 512;

    /// <summary>Sampling temperature for the sampled modes (e.g. 0.7).</summary>
    public float Temperature { get; init; } = 0.7f;

    /// <summary>Nucleus probability for the sampled modes; 1 = off.</summary>
    public float TopP { get; init; } = 1f;

    /// <summary>Top-k for the sampled modes; 0 = off.</summary>
    public int TopK { get; init; }

    /// <summary>Base seed: sample j of question i draws from its own stream seeded by (Seed, i, j), so
    /// results do not depend on the batch size or on a resumed run.</summary>
    public int Seed { get; init; }

    /// <summary>Extra stop strings (the tokenizer's EOS ids always stop).</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>bon@k with a PRM: how step scores become one response score.</summary>
    public StepScoreAggregation Aggregation { get; init; } = StepScoreAggregation.Min;

    /// <summary>How responses are cut into steps for a PRM (one step per line by default).</summary>
    public StepSplitOptions Steps { get; init; } = StepSplitOptions.Lines;

    /// <summary>Verifier options for grading responses against the gold answer.</summary>
    public VerifyOptions Verify { get; init; } = VerifyOptions.Default;

    /// <summary>Responses generated per question: 1 (greedy), k (maj@k, bon@k) or n (pass@k).</summary>
    public int SamplesPerQuestion => Mode.Kind switch
    {
        EvalModeKind.Greedy => 1,
        EvalModeKind.PassAtK => PassSamples ?? Mode.K,
        _ => Mode.K,
    };

    /// <summary>Throws an error naming the bad field and its accepted range.</summary>
    public EvalOptions Validate()
    {
        ArgumentNullException.ThrowIfNull(Mode);
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "eval: batch size must be >= 1");
        if (MaxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "eval: max new tokens must be >= 1");
        if (PassSamples is int n && (Mode.Kind != EvalModeKind.PassAtK || n < Mode.K))
            throw new ArgumentOutOfRangeException(nameof(PassSamples), n, $"eval: the sample count n applies to pass@k only and must be >= k = {Mode.K}");
        if (Mode.Samples && !(Temperature > 0 && float.IsFinite(Temperature)))
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, $"eval: {Mode} samples, so the temperature must be finite and > 0");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "eval: top-p must be in (0, 1]");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "eval: top-k must be >= 0 (0 = off)");
        return this;
    }
}
