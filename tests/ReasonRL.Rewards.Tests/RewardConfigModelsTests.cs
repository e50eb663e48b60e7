// reward.yaml's serve-side sections: `verifier:` (VerifyOptions), `prm:` and the model keys of `orm:`
// (in-process directory or remote URL) — parsed values, relative paths resolved against the config's
// folder, and errors naming the file, line, key and what is expected.
using ReasonRL.Rewards.Offline;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Sources.Remote;
using ReasonRL.Verifier;

namespace ReasonRL.Rewards.Tests;

public sealed class RewardConfigModelsTests
{
    [Fact]
    public void VerifierSectionSetsVerifyOptions()
    {
        var c = RewardConfigLoader.Parse("""
            verifier:
              strict: false
              ordered_lists: true
              set_relations: false
              decimal_rounding: 4
              fallback_to_last_number: false
              work_budget: 5000
              time_budget_ms: 250
              numeric_tolerance: 1e-6
              labelled_answers: false
              number_words: false
              multiple_choice: false
            """, "r.yaml");
        var v = c.Verify;
        Assert.Equal((false, true, false, 4, false, 5000L, 250.0, 1e-6),
            (v.Strict, v.OrderedLists, v.AllowSetRelationComparison, v.DecimalRounding, v.FallbackToLastNumber, v.WorkBudget, v.TimeBudget.TotalMilliseconds, v.NumericTolerance));
        Assert.Equal((false, false, false), (v.LabelledAnswers, v.NumberWords, v.MultipleChoice));
        Assert.Contains("decimal_rounding=4", c.Describe(), StringComparison.Ordinal);
        Assert.Contains("labelled_answers=False number_words=False multiple_choice=False", c.Describe(), StringComparison.Ordinal);
        Assert.Equal(VerifyOptions.Default, RewardConfigLoader.Parse("verifier: { decimal_rounding: null }\n").Verify);
        Assert.Equal(VerifyOptions.Default, RewardConfigLoader.Parse("success: { correct: 1 }\n").Verify);
    }

    [Theory]
    [InlineData("labelled_answers", "m+n = 9", "9")]
    [InlineData("number_words", "seven", "7")]
    [InlineData("multiple_choice", "\\textbf{(C) }15", "C")]
    public void EachConventionKeyTurnsItsConventionOff(string key, string prediction, string gold)
    {
        // On by default (the pair is Correct); the key set to false makes the same pair Incorrect.
        var on = RewardConfigLoader.Parse($"verifier: {{ {key}: true }}\n").Verify;
        var off = RewardConfigLoader.Parse($"verifier: {{ {key}: false }}\n").Verify;
        Assert.Equal(VerifyOptions.Default, on);
        Assert.Equal(Verdict.Correct, MathVerifier.Verify(prediction, gold, on).Verdict);
        Assert.Equal(Verdict.Incorrect, MathVerifier.Verify(prediction, gold, off).Verdict);
    }

    [Theory]
    [InlineData("either", "50\\%", "50", Verdict.Correct)]
    [InlineData("fraction", "50\\%", "50", Verdict.Incorrect)]
    [InlineData("Fraction", "50\\%", "0.5", Verdict.Correct)]
    [InlineData("number", "50\\%", "0.5", Verdict.Incorrect)]
    public void PercentKeyChoosesTheReading(string reading, string prediction, string gold, Verdict expected)
    {
        var c = RewardConfigLoader.Parse($"verifier: {{ percent: {reading} }}\n");
        Assert.Equal(expected, MathVerifier.Verify(prediction, gold, c.Verify).Verdict);
        Assert.Equal(reading == "either", c.Verify == VerifyOptions.Default);
        var error = Assert.Throws<RewardConfigException>(() => RewardConfigLoader.Parse("verifier: { percent: half }\n"));
        Assert.Contains("either, fraction, number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PrmAndOrmModelsInProcessAndRemote()
    {
        var c = RewardConfigLoader.Parse("""
            shaping: { kind: clip_delta }
            prm: { path: models/prm, convention: separator, batch_size: 8 }
            orm: { alpha: 0.5, url: "http://127.0.0.1:9000/get_reward", protocol: openrlhf, timeout_seconds: 5 }
            """, "r.yaml", baseDirectory: "/srv/reasonrl");
        Assert.Equal(new RewardModelSpec("/srv/reasonrl/models/prm", null, RemoteProtocol.Native, PrmConvention.SeparatorToken, 30, 8), c.Prm);
        Assert.Equal(new RewardModelSpec(null, new Uri("http://127.0.0.1:9000/get_reward"), RemoteProtocol.OpenRlhf, PrmConvention.StepEndToken, 5, 64), c.Orm);
        Assert.Equal(0.5, c.Design.OrmAlpha);
        Assert.Contains("prm path /srv/reasonrl/models/prm (SeparatorToken)", c.Describe(), StringComparison.Ordinal);

        var remotePrm = RewardConfigLoader.Parse("shaping: { kind: delta }\nprm: { url: \"https://prm.internal/v1/rewards\" }\n");
        Assert.Equal(RemoteProtocol.Native, remotePrm.Prm!.Protocol);
        Assert.Null(remotePrm.Orm);
        Assert.Null(RewardConfigLoader.Parse("orm: { alpha: 1.0 }\n").Orm);   // alpha alone: scores are replayed from requests
    }

    [Theory]
    [InlineData("verifier: { strict: yes }\n", 1, "verifier.strict", "expected true or false")]
    [InlineData("verifier: { decimal_rounding: 2.5 }\n", 1, "verifier.decimal_rounding", "expected an integer in [0, 15]")]
    [InlineData("verifier: { work_budget: 0 }\n", 1, "verifier.work_budget", "expected an integer in [1,")]
    [InlineData("verifier: { time_budget_ms: -1 }\n", 1, "verifier.time_budget_ms", "expected a number in (0, 60000]")]
    [InlineData("verifier: { rounding: 2 }\n", 1, "verifier.rounding", "unknown key; expected one of strict, ordered_lists")]
    [InlineData("verifier:\n  strict: true\n  number_words: 1\n", 3, "verifier.number_words", "expected true or false")]
    [InlineData("verifier: { labelled_answers: maybe }\n", 1, "verifier.labelled_answers", "expected true or false")]
    [InlineData("verifier: { multiple_choice: [a] }\n", 1, "verifier.multiple_choice", "expected true or false")]
    [InlineData("verifier: { numberwords: false }\n", 1, "verifier.numberwords", "labelled_answers, number_words, multiple_choice")]
    [InlineData("prm: { path: m }\n", 1, "prm", "no shaping section")]
    [InlineData("shaping: { kind: clip }\nprm: { convention: step_end }\n", 2, "prm.convention", "given without a model")]
    [InlineData("shaping: { kind: clip }\nprm: {}\n", 2, "prm", "expected path (in-process model directory) or url")]
    [InlineData("shaping: { kind: clip }\nprm: { path: m, url: \"http://x/v1/rewards\" }\n", 2, "prm", "both path and url given")]
    [InlineData("shaping: { kind: clip }\nprm: { path: m, protocol: native }\n", 2, "prm.protocol", "only applies to a remote (url) model")]
    [InlineData("shaping: { kind: clip }\nprm: { path: m, convention: last }\n", 2, "prm.convention", "expected step_end, separator or math_shepherd")]
    [InlineData("shaping: { kind: clip }\nprm: { url: \"http://x/get_reward\", protocol: openrlhf }\n", 2, "prm.protocol", "a PRM needs per-step scores")]
    [InlineData("shaping: { kind: clip }\nprm: { url: \"ftp://x\" }\n", 2, "prm.url", "expected an absolute http(s) URL")]
    [InlineData("orm: { path: m }\n", 1, "orm.alpha", "an ORM model is configured")]
    [InlineData("orm: { alpha: 1, path: m, convention: separator }\n", 1, "orm.convention", "only applies to a PRM")]
    [InlineData("orm: { alpha: 1, url: \"http://x/get_reward\", protocol: grpc }\n", 1, "orm.protocol", "expected native or openrlhf")]
    public void BadSectionsNameTheLineKeyAndExpectation(string yaml, int line, string key, string expected)
    {
        var e = Assert.Throws<RewardConfigException>(() => RewardConfigLoader.Parse(yaml, "bad.yaml"));
        Assert.Equal((line, key), (e.Line, e.Key));
        Assert.StartsWith($"bad.yaml:{line}: {key}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadFileResolvesModelPathsAgainstTheConfigFolder()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"reasonrl-cfg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string file = Path.Combine(dir, "reward.yaml");
            File.WriteAllText(file, "shaping: { kind: clip_delta }\nprm: { path: ../prm-dir }\n");
            Assert.Equal(Path.GetFullPath(Path.Combine(dir, "..", "prm-dir")), RewardConfigLoader.LoadFile(file).Prm!.Path);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void OpeningAMissingModelNamesTheSection()
    {
        var c = RewardConfigLoader.Parse("shaping: { kind: clip }\nprm: { path: /nonexistent/prm }\n");
        var e = Assert.Throws<InvalidOperationException>(() => ConfiguredRewardModels.Open(c));
        Assert.StartsWith("prm: cannot open path /nonexistent/prm", e.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }
}
