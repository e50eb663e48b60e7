// Agreement with the labelled sets in ../shared: public grader cases (suspect rows skipped),
// real model outputs (real2000) and GSM8K gold/perturbed solutions. Every public case the verifier
// disagrees with is listed below with the reason, so a new disagreement fails the test.
using ReasonRL.Tests;
using ReasonRL.Verifier.Evaluation;

namespace ReasonRL.Verifier.Tests;

public class SharedDataSetTests
{
    /// <summary>Public cases whose label is not what our grading conventions say (we keep the
    /// convention) — see the report for the full argument. Rows graded under other grader options
    /// (precision, strict=false, allow_set_relation_comp, MATH's ordered string compare) are not here:
    /// CaseModes.OptionsFor maps each row's recorded options onto VerifyOptions members.</summary>
    public static readonly IReadOnlyDictionary<string, string> MislabelledUnderOurConventions = new Dictionary<string, string>
    {
        ["mv-0191"] = "gold is '\\f' + 'ext{13}' (a form feed ate \\t of \\text): a test-source artifact, we read 13",
    };

    /// <summary>Known limitations: cases we get wrong today.</summary>
    public static readonly IReadOnlyDictionary<string, string> KnownMisses = new Dictionary<string, string>
    {
        ["mv-0008"] = "'Soucis : 2,74 $ a..' (decimal comma inside free text with a currency sign) is not read as 2.74",
        ["mv-0143"] = "no anchor: the last math block is an intermediate formula, the answer is in prose",
        ["mv-0164"] = "no anchor: the answer '100%' is in the last sentence's prose, not in the last math block",
        ["mv-0192"] = "gold boxes separated by '++++++' are not joined into a list",
        ["mv-0221"] = "unbalanced \\boxed{ in the gold; 'orW(x)' glued in the prediction",
        ["mv-0251"] = "boxes separated by prose with new equations are not joined",
    };

    // Default options: the work budget is deterministic, so no relaxed wall-clock budget is needed.
    private static readonly VerifyOptions Defaults = VerifyOptions.Default;

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void PublicCasesAgreeExceptTheListedOnes()
    {
        var cases = LabelledCaseReader.Read(SharedData.PathOf("data/verifier/public_cases.jsonl"));
        var s = VerifierEvaluation.Run(cases, Defaults, skipSuspect: true);
        var unexpected = s.Disagreements
            .Where(d => !MislabelledUnderOurConventions.ContainsKey(d.Case.Id) && !KnownMisses.ContainsKey(d.Case.Id))
            .Select(d => $"{d.Case.Id}: label={d.Case.Label} verdict={d.Result.Verdict} ({d.Result.Reason})").ToList();
        Assert.True(unexpected.Count == 0, string.Join("\n", unexpected));
        // 325 non-suspect cases, at most the 7 listed disagreements: 318/325 = 97.8 % raw agreement.
        Assert.True(s.Accuracy >= 0.97, $"agreement {s.Accuracy:P2}");
        int excluded = s.Disagreements.Count(d => MislabelledUnderOurConventions.ContainsKey(d.Case.Id));
        double onTrueLabels = (double)s.Agreed / (s.N - excluded);
        Assert.True(onTrueLabels >= 0.97, $"agreement without the mislabelled cases {onTrueLabels:P2}");
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void Real2000AgreementIsAtLeast99Point6Percent()
    {
        var cases = LabelledCaseReader.Read(SharedData.PathOf("verifier-eval/real2000.jsonl"), "model_output", "gold", "label");
        Assert.Equal(2000, cases.Count);
        var s = VerifierEvaluation.Run(cases, Defaults);
        Assert.True(s.Accuracy >= 0.996, $"agreement {s.Accuracy:P2}; first: " +
            string.Join(" | ", s.Disagreements.Take(5).Select(d => $"{d.Case.Id} {d.Result.Verdict} {d.Result.Reason}")));
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void Gsm8kPerturbedIsGradedPerfectly()
    {
        var cases = LabelledCaseReader.Read(SharedData.PathOf("verifier-eval/gsm8k_perturbed500.jsonl"), "model_output", "gold", "label");
        Assert.Equal(500, cases.Count);
        var s = VerifierEvaluation.Run(cases, Defaults);
        Assert.True(s.Agreed == s.N, string.Join(" | ", s.Disagreements.Take(5).Select(d => $"{d.Case.Id} {d.Result.Verdict} {d.Result.Reason}")));
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void SetsGradeWithinTheLatencyBoundAtTheDefaultBudget()
    {
        // Default budget; the 99th percentile over all three sets must stay far below 20 ms even on
        // a loaded CI machine (the strict maximum is measured on a quiet machine by the CLI).
        var all = LabelledCaseReader.Read(SharedData.PathOf("verifier-eval/real2000.jsonl"), "model_output", "gold", "label")
            .Concat(LabelledCaseReader.Read(SharedData.PathOf("verifier-eval/gsm8k_perturbed500.jsonl"), "model_output", "gold", "label"))
            .Concat(LabelledCaseReader.Read(SharedData.PathOf("data/verifier/public_cases.jsonl"))).ToList();
        var s = VerifierEvaluation.Run(all, VerifyOptions.Default);
        Assert.True(s.P99Ms < 20, $"p99 {s.P99Ms:F3} ms");
        Assert.True(s.MaxMs < 1000, $"max {s.MaxMs:F1} ms");
    }
}
