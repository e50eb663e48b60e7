// PrmRewardSource: a process reward model as an IRewardSource — one raw score s_k ∈ [0, 1] per step
// (SampleScore.StepScores), read where PrmScoringOptions.Convention says (RewardModelInputs):
//   StepEndToken / SeparatorToken: s_k = σ(z₁ − z₀) = softmax(PrmHead logits)[1] at the step's position;
//   MathShepherd:                  s_k = softmax(LM logits over {"+", "-"})[+] = σ(l₊ − l₋) at the step tag.
// Every prefix is scored in one forward pass per sequence (causal model, docs/reward-methods.md §8). A sample
// that cannot be scored is SampleScore.Fail with the reason, never 0. Not shaping (Shaping/StepShaping).
using ReasonRL.Models;
using ReasonRL.Text;

namespace ReasonRL.Rewards.Sources;

public sealed class PrmRewardSource : IRewardSource
{
    private readonly RewardModel model;
    private readonly ITokenizer tokenizer;
    private readonly int positiveId, negativeId;
    private readonly object gate = new();

    /// <exception cref="ArgumentException">The model is not a PRM (for a head-based convention), or a
    /// separator / tag / +/− token is not a single token of <paramref name="tokenizer"/>.</exception>
    public PrmRewardSource(RewardModel model, ITokenizer tokenizer, PrmScoringOptions? options = null)
    {
        this.model = model ?? throw new ArgumentNullException(nameof(model));
        this.tokenizer = tokenizer ?? throw new ArgumentNullException(nameof(tokenizer));
        Options = options ?? PrmScoringOptions.Default;
        switch (Options.Convention)
        {
            case PrmConvention.MathShepherd:
                RewardModelInputs.SingleToken(tokenizer, Options.StepTag, "step tag");
                positiveId = RewardModelInputs.SingleToken(tokenizer, Options.PositiveToken, "positive token");
                negativeId = RewardModelInputs.SingleToken(tokenizer, Options.NegativeToken, "negative token");
                break;
            case PrmConvention.SeparatorToken:
                RewardModelInputs.SingleToken(tokenizer, Options.Separator, "separator");
                goto default;
            default:
                if (model.Kind != RewardModelKind.Prm)
                    throw new ArgumentException($"the {Options.Convention} convention reads a PRM head, but the model is an {model.Kind.ToString().ToUpperInvariant()}", nameof(model));
                break;
        }
    }

    public string Name => "prm";

    public PrmScoringOptions Options { get; }

    public Task<IReadOnlyList<SampleScore>> ScoreAsync(IReadOnlyList<RewardSample> batch, CancellationToken cancellationToken = default)
    {
        var scores = RewardModelScoring.Run(model, gate, batch, Options.BatchSize,
            s => RewardModelInputs.ForSteps(tokenizer, s.Prompt, s.Response, s.Steps, Options),
            (tokens, positions) => Options.Convention == PrmConvention.MathShepherd
                ? model.ScorePairLogits(tokens, positions, positiveId, negativeId)
                : model.ScoreLogits(tokens, positions),
            logits => new SampleScore { StepScores = Array.ConvertAll(logits, l => (double)RewardModel.Sigmoid(l)) },
            cancellationToken);
        return Task.FromResult(scores);
    }
}
