// OrmRewardSource: an outcome reward model as an IRewardSource — SampleScore.Outcome from the scalar head
// at the response's last token (RewardModelInputs.ForOutcome): P(correct) = σ(score) by default, or the
// raw score (OpenRLHF / Bradley–Terry style, unbounded). A sample that cannot be scored is
// SampleScore.Fail with the reason, never 0. Not the ORM combination α·ORM (Composition).
using ReasonRL.Models;
using ReasonRL.Text;

namespace ReasonRL.Rewards.Sources;

/// <summary>What an ORM source reports as Outcome.</summary>
public enum OrmOutput
{
    /// <summary>σ(score) ∈ (0, 1) — a BCE-trained ORM's probability of a correct answer.</summary>
    Probability,

    /// <summary>The raw scalar score ∈ ℝ.</summary>
    RawScore,
}

public sealed class OrmRewardSource : IRewardSource
{
    private readonly RewardModel model;
    private readonly ITokenizer tokenizer;
    private readonly object gate = new();

    /// <exception cref="ArgumentException">The model is not an ORM.</exception>
    public OrmRewardSource(RewardModel model, ITokenizer tokenizer, OrmOutput output = OrmOutput.Probability, int batchSize = 64)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        this.tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        if (model.Kind != RewardModelKind.Orm)
            throw new ArgumentException($"an ORM source needs an ORM (scalar head), but the model is a {model.Kind.ToString().ToUpperInvariant()}", nameof(model));
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        Output = output;
        BatchSize = batchSize;
    }

    public string Name => "orm";

    public OrmOutput Output { get; }

    public int BatchSize { get; }

    public Task<IReadOnlyList<SampleScore>> ScoreAsync(IReadOnlyList<RewardSample> batch, CancellationToken cancellationToken = default)
    {
        var scores = RewardModelScoring.Run(model, gate, batch, BatchSize,
            s => RewardModelInputs.ForOutcome(tokenizer, s.Prompt, s.Response),
            model.ScoreLogits,
            logits => new SampleScore { Outcome = Output == OrmOutput.Probability ? RewardModel.Sigmoid(logits[0]) : logits[0] },
            cancellationToken);
        return Task.FromResult(scores);
    }
}
