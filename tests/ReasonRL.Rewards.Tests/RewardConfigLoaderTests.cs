// reward.yaml: the documented example, every section, and rejection messages naming file:line:key.
using ReasonRL.Rewards.Offline;
using ReasonRL.Rewards.Shaping;
using ReasonRL.Rewards.Steps;

namespace ReasonRL.Rewards.Tests;

public sealed class RewardConfigLoaderTests
{
    [Fact]
    public void Documented_example_parses()
    {
        var config = RewardConfigLoader.Parse("""
            steps:   { split: "\n" }
            success: { correct: 1.0, incorrect: 0.0, unverifiable: 0.0 }
            shaping: { kind: clip_delta, alpha: 1.0, eta: 0.5, delta_last: keep }
            """);
        Assert.Equal(StepSplitOptions.Lines, config.Steps);
        Assert.Equal(new ShapingOptions(ShapingKind.ClipDelta, 1.0, 0.5, DeltaLastStep.Keep), config.Design.Shaping);
        Assert.Equal(Sources.SuccessValues.ZeroOne, config.Design.Success);
        Assert.Equal(RewardDesignOf(config), Composition.RewardDesign.ClipDeltaExample);
    }

    private static Composition.RewardDesign RewardDesignOf(RewardConfig c) => c.Design;

    [Fact]
    public void All_sections_parse()
    {
        var config = RewardConfigLoader.Parse("""
            steps: { tag: "ки" }
            success: { correct: 1, incorrect: -1 }
            shaping:
              kind: par
              alpha: 2
              par_references: [0.1, 0.9]
              temperature: 0.05
              delta_last: zero
            orm: { alpha: 0.5, par_references: [0.0] }
            format: { missing_answer: -0.5 }
            length: { per_step: -0.01 }
            """);
        Assert.Equal(new StepSplitOptions(StepSplitKind.Tag, "ки"), config.Steps);
        Assert.Equal(-1.0, config.Design.Success.Incorrect);
        Assert.Equal(0.0, config.Design.Success.Unverifiable);
        var s = config.Design.Shaping!;
        Assert.Equal((ShapingKind.Par, 2.0, 0.05, DeltaLastStep.Zero), (s.Kind, s.Alpha, s.Temperature, s.LastStep));
        Assert.Equal([0.1, 0.9], s.ParReferences!);
        Assert.Equal(0.5, config.Design.OrmAlpha);
        Assert.Equal(-0.5, config.Design.MissingAnswerPenalty);
        Assert.Equal(-0.01, config.Design.PerStepPenalty);
    }

    [Fact]
    public void Omitted_shaping_means_no_learned_reward_and_default_steps_are_lines()
    {
        var config = RewardConfigLoader.Parse("success: { correct: 5 }");
        Assert.Null(config.Design.Shaping);
        Assert.Equal(StepSplitOptions.Lines, config.Steps);
        Assert.Equal(5.0, config.Design.Success.Correct);
    }

    [Theory]
    [InlineData("shaping: { kind: clipdelta }", 1, "shaping.kind", "expected one of raw, clip, delta, clip_delta, min_form, par")]
    [InlineData("shaping:\n  kind: clip\n  alpha: lots", 3, "shaping.alpha", "'lots'; expected a finite number")]
    [InlineData("shaping: { alpha: 1 }", 1, "shaping.kind", "missing")]
    [InlineData("success: { correct: 1 }\nshaping: { kind: delta, delta_last: first }", 2, "shaping.delta_last", "expected keep or zero")]
    [InlineData("steps: { split: \"\\n\", regex: \"x\" }", 1, "steps", "exactly one of split, regex, tag")]
    [InlineData("steps: { regex: \"(\" }", 1, "steps.regex", "does not compile")]
    [InlineData("success: { corect: 1 }", 1, "success.corect", "unknown key; expected one of correct, incorrect, unverifiable")]
    [InlineData("\n\nrewards: 1", 3, "rewards", "unknown key")]
    [InlineData("shaping: { kind: min_form, temperature: 0 }", 1, "shaping.temperature", "expected a number > 0")]
    [InlineData("orm: { par_references: 0.5 }", 1, "orm.par_references", "expected a list of numbers")]
    [InlineData("shaping: [clip]", 1, "shaping", "expected a mapping")]
    [InlineData("shaping:\n  kind: clip\n  alpha: -1", 3, "shaping.alpha", "expected a number ≥ 0")]
    public void Bad_configs_name_line_key_and_expected_value(string yaml, int line, string key, string expected)
    {
        var e = Assert.Throws<RewardConfigException>(() => RewardConfigLoader.Parse(yaml, "r.yaml"));
        Assert.Equal(line, e.Line);
        Assert.Equal(key, e.Key);
        Assert.StartsWith($"r.yaml:{line}: {key}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_yaml_names_the_line()
    {
        var e = Assert.Throws<RewardConfigException>(() => RewardConfigLoader.Parse("steps: { split: \"\\n\"\nshaping: [", "r.yaml"));
        Assert.Equal("(yaml)", e.Key);
        Assert.True(e.Line >= 1);
    }
}
