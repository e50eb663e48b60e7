// PrmRewardSource / OrmRewardSource over a tiny random RewardModel and a character tokenizer: scores are
// exactly the model's σ(logit) at RewardModelInputs' positions (one per step / one per response), the
// Math-Shepherd read-out is σ(l₊ − l₋) of the LM head, and failures are explicit (never 0).
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Rewards.Tests;

public sealed class RewardModelSourceTests
{
    private static RewardModel Model(RewardModelKind kind, int maxPositions = 64)
    {
        var config = new ModelConfig
        {
            VocabSize = RewardModelInputsTests.Chars.VocabSize, HiddenSize = 16, IntermediateSize = 32, LayerCount = 1,
            HeadCount = 2, KvHeadCount = 1, MaxPositionEmbeddings = maxPositions,
        };
        var backbone = new Transformer(config, new ManagedGemm());
        backbone.InitializeRandom(11, std: 0.3f);
        var model = RewardModel.Create(kind, backbone, 12);
        foreach (var e in model.HeadLayout.Entries) ParameterLayout.FillNormal(new Rng(13), model.HeadParameters.View(e), 0.5f);
        return model;
    }

    private static RewardSample Sample(string prompt, params string[] steps)
    {
        var (response, spans) = RewardModelInputs.JoinSteps(steps);
        return new RewardSample(prompt, response, null, spans);
    }

    [Fact]
    public async Task PrmSourceReturnsOneModelProbabilityPerStep()
    {
        using var model = Model(RewardModelKind.Prm);
        var tok = RewardModelInputsTests.Chars;
        var source = new PrmRewardSource(model, tok, new PrmScoringOptions { BatchSize = 2 });
        RewardSample[] batch = [Sample("q1?", "1+2=3", "3+3=6"), Sample("q2?", "abc"), Sample("q3?"), Sample("q4?", "9", "8", "7")];
        var scores = await source.ScoreAsync(batch);
        Assert.Equal(4, scores.Count);
        for (int i = 0; i < batch.Length; i++)
        {
            Assert.Equal(ScoreStatus.Ok, scores[i].Status);
            var (tokens, positions) = RewardModelInputs.ForSteps(tok, batch[i].Prompt, batch[i].Response, batch[i].Steps);
            var expected = positions.Length == 0 ? [] : model.Score([tokens], [positions])[0];
            Assert.Equal(batch[i].Steps.Count, scores[i].StepScores!.Count);
            for (int k = 0; k < expected.Length; k++) Assert.Equal(expected[k], scores[i].StepScores![k], 1e-6);
        }
    }

    [Fact]
    public async Task MathShepherdReadsThePlusMinusLmLogitsAtTheTag()
    {
        using var model = Model(RewardModelKind.Prm);
        var tok = RewardModelInputsTests.Chars;
        var options = new PrmScoringOptions { Convention = PrmConvention.MathShepherd, StepTag = "~" };
        var sample = Sample("q", "1+1=2", "2+2=4");
        var scores = await new PrmRewardSource(model, tok, options).ScoreAsync([sample]);
        var (tokens, positions) = RewardModelInputs.ForSteps(tok, sample.Prompt, sample.Response, sample.Steps, options);
        model.Backbone.Forward(tokens, 1, tokens.Length);
        var logits = model.Backbone.LmHeadForward();
        int v = tok.VocabSize, plus = tok.Encode("+").Ids[0], minus = tok.Encode("-").Ids[0];
        for (int k = 0; k < 2; k++)
        {
            double lp = logits[positions[k] * v + plus], lm = logits[positions[k] * v + minus];
            double expected = Math.Exp(lp) / (Math.Exp(lp) + Math.Exp(lm));
            Assert.Equal(expected, scores[0].StepScores![k], 1e-5);
        }
    }

    [Fact]
    public async Task TooLongAndUnencodableSamplesFailExplicitly()
    {
        using var model = Model(RewardModelKind.Prm, maxPositions: 16);
        var source = new PrmRewardSource(model, RewardModelInputsTests.Chars);
        var scores = await source.ScoreAsync([Sample("q", "1+1=2"), Sample("q", "1+1=2", "2+2=4", "4+4=8"), Sample("q", "ÄÖ")]);
        Assert.Equal(ScoreStatus.Ok, scores[0].Status);
        Assert.Equal(ScoreStatus.Failed, scores[1].Status);
        Assert.Contains("max_position_embeddings 16", scores[1].Error);
        Assert.Null(scores[1].StepScores);
        Assert.Equal(ScoreStatus.Ok, scores[2].Status);   // <unk> covers unknown characters
    }

    [Fact]
    public async Task OrmSourceReportsProbabilityOrRawScoreAtTheLastToken()
    {
        using var model = Model(RewardModelKind.Orm);
        var tok = RewardModelInputsTests.Chars;
        var sample = Sample("what is 2+2?", "2+2=4", "the answer is 4");
        var (tokens, positions) = RewardModelInputs.ForOutcome(tok, sample.Prompt, sample.Response);
        float logit = model.ScoreLogits([tokens], [positions])[0][0];
        var p = await new OrmRewardSource(model, tok).ScoreAsync([sample]);
        var raw = await new OrmRewardSource(model, tok, OrmOutput.RawScore).ScoreAsync([sample]);
        Assert.Equal(RewardModel.Sigmoid(logit), p[0].Outcome!.Value, 1e-6);
        Assert.Equal(logit, raw[0].Outcome!.Value, 1e-6);
        Assert.Null(p[0].StepScores);
    }

    [Fact]
    public void SourcesRejectTheWrongKindOfModel()
    {
        using var prm = Model(RewardModelKind.Prm);
        using var orm = Model(RewardModelKind.Orm);
        var tok = RewardModelInputsTests.Chars;
        Assert.Contains("needs an ORM", Assert.Throws<ArgumentException>(() => new OrmRewardSource(prm, tok)).Message);
        Assert.Contains("reads a PRM head", Assert.Throws<ArgumentException>(() => new PrmRewardSource(orm, tok)).Message);
        Assert.Contains("step tag", Assert.Throws<ArgumentException>(() => new PrmRewardSource(prm, tok, new PrmScoringOptions { Convention = PrmConvention.MathShepherd, StepTag = "ки" })).Message);
    }
}
