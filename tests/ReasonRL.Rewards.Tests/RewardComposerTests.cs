// RewardComposer: per-token reward placement (step k on e_k, sequence terms on the last token),
// diagnostics, and explicit refusal of missing or failed inputs.
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Shaping;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;

namespace ReasonRL.Rewards.Tests;

public sealed class RewardComposerTests
{
    private const double Exact = 1e-12; // one-decimal inputs, a few additions

    private static readonly SampleScore Correct = new() { Outcome = 1.0, Verdict = new SuccessJudgement(SuccessVerdict.Correct) };

    [Fact]
    public void Clip_delta_example_lands_on_step_end_tokens_with_success_on_the_last()
    {
        // Four one-line steps, character tokens: step ends at chars 1, 4, 7, 10.
        var text = "s1\ns2\ns3\ns4";
        var steps = new StepSplitter(StepSplitOptions.Lines).Split(text);
        var composed = RewardComposer.Compose(RewardDesign.ClipDeltaExample, text, steps,
            StepTokenMapTests.CharTokens(text), Correct, [0.7, 0.2, 0.4, 0.8], null);

        Assert.Equal([1, 4, 7, 10], composed.StepEndTokens);
        double[] expected = [0, 0.3, 0, 0, -0.2, 0, 0, -0.1, 0, 0, 0 + 1.0];
        WorkedExampleTests.AssertClose(expected, composed.TokenRewards, Exact, "R_t");
        Assert.InRange(composed.TokenRewards.Sum(), composed.Diagnostics.TotalReturn - Exact, composed.Diagnostics.TotalReturn + Exact);
        Assert.Equal(4, composed.Diagnostics.StepCount);
        Assert.InRange(composed.Diagnostics.LearnedReturn, -Exact, Exact);
        Assert.Equal(0.75, composed.Diagnostics.NonZeroStepRewardFraction);
    }

    [Fact]
    public void Orm_format_and_length_terms_go_on_the_last_token()
    {
        var design = new RewardDesign(new SuccessValues(1, -1, 0), null, OrmAlpha: 0.5, MissingAnswerPenalty: -0.25, PerStepPenalty: -0.01);
        var text = "a\nb";
        var steps = new StepSplitter(StepSplitOptions.Lines).Split(text);
        var wrong = new SampleScore { Outcome = -1.0, Verdict = new SuccessJudgement(SuccessVerdict.Incorrect) };
        var composed = RewardComposer.Compose(design, text, steps, StepTokenMapTests.CharTokens(text), wrong, null, 0.8);

        // −1 (incorrect) + 0.5·0.8 (ORM) − 0.25 (no \boxed{) − 0.01·2 (two steps) = −0.87
        WorkedExampleTests.AssertClose([0, 0, -0.87], composed.TokenRewards, Exact, "R_t");
        Assert.Equal([0.0, 0.0], composed.Diagnostics.StepRewards);
        Assert.Null(composed.Diagnostics.RawStepScores);

        var boxed = "a\n\\boxed{3}";
        var withAnswer = RewardComposer.Diagnose(design, boxed, new StepSplitter(StepSplitOptions.Lines).Split(boxed), wrong, null, 0.8);
        Assert.InRange(withAnswer.ExtraTerms, -0.02 - Exact, -0.02 + Exact);
    }

    [Fact]
    public void Repeated_steps_are_reported()
    {
        var text = "x = 1\nx = 1\nx = 1\n\\boxed{1}";
        var steps = new StepSplitter(StepSplitOptions.Lines).Split(text);
        var d = RewardComposer.Diagnose(RewardDesign.ClipDeltaExample, text, steps, Correct, [0.9, 0.9, 0.9, 0.9], null);
        Assert.Equal(2, d.RepeatedStepCount);
    }

    [Fact]
    public void Missing_or_failed_inputs_are_refused_not_zeroed()
    {
        var text = "a\nb";
        var steps = new StepSplitter(StepSplitOptions.Lines).Split(text);
        var noScores = Assert.Throws<ArgumentException>(() => RewardComposer.Diagnose(RewardDesign.ClipDeltaExample, text, steps, Correct, null, null));
        Assert.Contains("clip_delta", noScores.Message, StringComparison.Ordinal);
        var wrongCount = Assert.Throws<ArgumentException>(() => RewardComposer.Diagnose(RewardDesign.ClipDeltaExample, text, steps, Correct, [0.5], null));
        Assert.Contains("1 step score(s) for 2 step(s)", wrongCount.Message, StringComparison.Ordinal);
        var failed = Assert.Throws<ArgumentException>(() => RewardComposer.Diagnose(RewardDesign.ClipDeltaExample, text, steps, SampleScore.Fail("verifier down"), [0.5, 0.5], null));
        Assert.Contains("verifier down", failed.Message, StringComparison.Ordinal);
        var noOrm = new RewardDesign(SuccessValues.ZeroOne, null, OrmAlpha: 1.0);
        Assert.Throws<ArgumentException>(() => RewardComposer.Diagnose(noOrm, text, steps, Correct, null, null));
    }

    [Fact]
    public async Task Success_source_maps_verdicts_to_configured_values_and_reports_judge_failures()
    {
        var source = new SuccessSource((response, gold) => new SuccessJudgement(response.EndsWith(gold, StringComparison.Ordinal) ? SuccessVerdict.Correct : SuccessVerdict.Incorrect), new SuccessValues(1, -1, 0));
        RewardSample[] batch = [new("q", "answer 4", "4", []), new("q", "answer 5", "4", []), new("q", "answer", null, [])];
        var scores = await source.ScoreAsync(batch);
        Assert.Equal([1.0, -1.0, 0.0], scores.Select(s => s.Outcome!.Value));
        Assert.Equal(SuccessVerdict.Unverifiable, scores[2].Verdict!.Verdict);

        var broken = new SuccessSource(SuccessJudges.Unavailable, SuccessValues.ZeroOne);
        var failed = (await broken.ScoreAsync([batch[0]]))[0];
        Assert.Equal(ScoreStatus.Failed, failed.Status);
        Assert.Null(failed.Outcome);
        Assert.Contains("no answer verifier", failed.Error, StringComparison.Ordinal);
    }
}
