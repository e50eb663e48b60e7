// OfflineScorer (`reasonrl reward`'s library side): replay of step_scores / orm_score / verdict,
// the real MathVerifier for lines without a verdict, output fields, clear "lacks" errors,
// --compare summaries and the atomic write.
using ReasonRL.Rewards.Offline;
using ReasonRL.Rewards.Shaping;
using ReasonRL.Rewards.Sources;
using System.Text.Json.Nodes;

namespace ReasonRL.Rewards.Tests;

public sealed class OfflineScorerTests
{
    private const double Exact = 1e-12; // one-decimal inputs, a few additions

    private static readonly RewardConfig Example = RewardConfigLoader.Parse("""
        steps:   { split: "\n" }
        success: { correct: 1.0, incorrect: 0.0, unverifiable: 0.0 }
        shaping: { kind: clip_delta, alpha: 1.0, eta: 0.5, delta_last: keep }
        """);

    // MathVerifier's default budget is 10 ms per call; a cold JIT on a machine shared with other test
    // runs overshoots it and the verdict becomes Unverifiable("time budget exceeded"). These tests are
    // about the reward layer, not the verifier's speed, so they give it a generous budget.
    private static readonly ReasonRL.Verifier.VerifyOptions Patient = ReasonRL.Verifier.VerifyOptions.Default with { TimeBudget = TimeSpan.FromSeconds(10) };

    private static OfflineScorer Scorer(RewardConfig? config = null) => new(config ?? Example, MathVerifierJudge.Create(Patient));

    private static JsonObject Line(IReadOnlyList<string> output, int i) => (JsonObject)JsonNode.Parse(output[i])!;

    [Fact]
    public void Verified_line_gets_every_output_field()
    {
        var input = """{"prompt": "2+3*4=?", "response": "3*4 = 12\n2 + 12 = 14\nCheck: 3*4 = 12\nSo \\boxed{14}", "gold": "14", "step_scores": [0.7, 0.2, 0.4, 0.8], "id": 7}""";
        var (output, report) = Scorer().Score([input], []);

        Assert.Empty(report.Errors);
        var line = Line(output, 0);
        Assert.Equal(7, (int)line["id"]!);                       // input fields are kept
        Assert.Equal("correct", (string)line["verdict"]!);       // from MathVerifier
        Assert.Equal(1.0, (double)line["success"]!);
        Assert.Equal("[[0,8],[9,20],[21,36],[37,50]]", line["steps"]!.ToJsonString());
        var rewards = line["step_rewards"]!.AsArray().Select(n => (double)n!).ToArray();
        WorkedExampleTests.AssertClose([0.3, -0.2, -0.1, 0], rewards, Exact, "step_rewards");
        Assert.InRange((double)line["learned_return"]!, -Exact, Exact);
        Assert.InRange((double)line["total_return"]!, 1 - Exact, 1 + Exact);
        Assert.Equal(0, (int)line["repeated_steps"]!);
    }

    [Fact]
    public void Wrong_answer_and_replayed_verdict()
    {
        string[] lines =
        [
            """{"prompt": "p", "response": "2+3 = 5\n5*4 = 20\n\\boxed{20}", "gold": "14", "step_scores": [0.9, 0.9, 0.9]}""",
            """{"prompt": "p", "response": "whatever", "gold": "14", "verdict": "correct", "step_scores": [0.1]}""",
        ];
        var (output, report) = Scorer().Score(lines, []);

        Assert.Empty(report.Errors);
        Assert.Equal("incorrect", (string)Line(output, 0)["verdict"]!);
        Assert.Equal(0.0, (double)Line(output, 0)["total_return"]!);
        Assert.Equal("correct", (string)Line(output, 1)["verdict"]!);
        // c_1 = min(0.1 − 0.5, 0) = −0.4 → total 1 − 0.4.
        Assert.InRange((double)Line(output, 1)["total_return"]!, 0.6 - Exact, 0.6 + Exact);
    }

    [Fact]
    public void Lines_that_lack_inputs_say_what_they_lack()
    {
        string[] lines =
        [
            """{"prompt": "p", "response": "a\nb", "gold": "1"}""",
            """{"prompt": "p", "response": "a\nb", "gold": "1", "step_scores": [0.5]}""",
            """{"prompt": "p", "gold": "1"}""",
            """{"prompt": "p", "response": "a", "step_scores": ["x"]}""",
            """not json""",
        ];
        var (output, report) = Scorer().Score(lines, []);

        Assert.Equal(5, report.Errors.Count);
        Assert.Contains("line 1: lacks 'step_scores'", report.Errors[0], StringComparison.Ordinal);
        Assert.Contains("line 2: 'step_scores' has 1 value(s) but the response has 2 step(s)", report.Errors[1], StringComparison.Ordinal);
        Assert.Contains("line 3: missing field 'response'", report.Errors[2], StringComparison.Ordinal);
        Assert.Contains("line 4: field 'step_scores'[0] must be a number", report.Errors[3], StringComparison.Ordinal);
        Assert.Contains("line 5: not valid JSON", report.Errors[4], StringComparison.Ordinal);
        Assert.All(output, o => Assert.NotNull(((JsonObject)JsonNode.Parse(o)!)["error"]));
        Assert.Equal(0, report.Summaries[0].Scored);
    }

    [Fact]
    public void Orm_needs_orm_score_and_is_added()
    {
        var config = RewardConfigLoader.Parse("success: { correct: 1 }\norm: { alpha: 0.5 }");
        string[] lines =
        [
            """{"prompt": "p", "response": "\\boxed{3}", "gold": "3", "orm_score": 0.8}""",
            """{"prompt": "p", "response": "\\boxed{3}", "gold": "3"}""",
        ];
        var (output, report) = Scorer(config).Score(lines, []);
        Assert.InRange((double)Line(output, 0)["total_return"]!, 1.4 - Exact, 1.4 + Exact);
        Assert.Contains("line 2: lacks 'orm_score'", Assert.Single(report.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_summarises_the_padding_hack_per_shaping()
    {
        // The same correct solution, plain and padded with two repeats of a step the PRM likes (0.9).
        string[] lines =
        [
            """{"prompt": "p", "response": "3*4 = 12\n2 + 12 = 14\n\\boxed{14}", "gold": "14", "step_scores": [0.9, 0.8, 0.9]}""",
            """{"prompt": "p", "response": "3*4 = 12\n3*4 = 12\n3*4 = 12\n2 + 12 = 14\n\\boxed{14}", "gold": "14", "step_scores": [0.9, 0.9, 0.9, 0.8, 0.9]}""",
        ];
        var kinds = new[] { ShapingKind.Raw, ShapingKind.Clip, ShapingKind.Delta, ShapingKind.ClipDelta };
        var (_, report) = Scorer().Score(lines, kinds);

        Assert.Equal(["clip_delta", "raw", "clip", "delta"], report.Summaries.Select(s => s.Label));
        var raw = report.Summaries.Single(s => s.Label == "raw");
        Assert.Equal(1.0, raw.Accuracy);
        Assert.Equal(4.0, raw.MeanSteps);
        Assert.InRange(raw.RepeatedStepRate, 2.0 / 8 - Exact, 2.0 / 8 + Exact);
        Assert.InRange(raw.MeanLearnedReturn, (2.6 + 4.4) / 2 - Exact, (2.6 + 4.4) / 2 + Exact); // padding pays under Raw
        Assert.InRange(report.Summaries.Single(s => s.Label == "delta").MeanLearnedReturn, 0.9 - Exact, 0.9 + Exact);
        Assert.Equal(0.0, report.Summaries.Single(s => s.Label == "clip").MeanLearnedReturn);
        Assert.Equal(0.0, report.Summaries.Single(s => s.Label == "clip_delta").MeanLearnedReturn);
    }

    [Fact]
    public void File_is_written_atomically_and_replaces_the_old_one()
    {
        var dir = Directory.CreateTempSubdirectory("reasonrl-reward-");
        try
        {
            var input = Path.Combine(dir.FullName, "rollouts.jsonl");
            var output = Path.Combine(dir.FullName, "scored.jsonl");
            File.WriteAllText(input, """{"prompt": "p", "response": "\\boxed{2}", "gold": "2", "step_scores": [0.9]}""" + "\n\n");
            File.WriteAllText(output, "old content that must disappear\n");
            var report = Scorer().ScoreFile(input, output);

            Assert.Equal(1, report.Lines);
            var written = File.ReadAllLines(output);
            Assert.Single(written);
            Assert.Equal(1.0, (double)JsonNode.Parse(written[0])!["total_return"]!);
            Assert.Equal(["rollouts.jsonl", "scored.jsonl"], dir.GetFiles().Select(f => f.Name).Order(StringComparer.Ordinal)); // no temp file left
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Math_verifier_judge_maps_verdicts()
    {
        var judge = MathVerifierJudge.Create(Patient);
        var half = judge("so the answer is \\boxed{\\frac{1}{2}}", "0.5");
        Assert.True(half.Verdict == SuccessVerdict.Correct, $"{half.Verdict}: {half.Reason}");
        Assert.Equal(SuccessVerdict.Incorrect, judge("\\boxed{3}", "4").Verdict);
        Assert.Equal(SuccessVerdict.Unverifiable, MathVerifierJudge.Map(ReasonRL.Verifier.Verdict.Unverifiable));
    }
}
