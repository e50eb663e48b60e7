// LabPrmCheck: the PRM judged where it is used — on responses it never trained on. Two sets on the
// validation problems (train split, never trained on): (1) responses sampled from the SFT policy
// (temperature 1), each line labelled by StepLabeller — the AUC of the PRM's step score on Correct vs
// Incorrect lines is what "a PRM tells correct lines from incorrect ones" means; (2) a padding probe, as
// the paper's synthetic examples: each problem's gold solution with a restatement after its first line
// and its first line repeated after its last — the mean score of those correct-but-unnecessary lines
// beside that of the necessary ones shows whether the PRM scores padding as correct (what makes a raw
// summed PRM reward farmable); (3) a run-on probe: each problem's SFT solution run on past its answer
// (LabStepLabelledSet.RunOnSolution) — the mean score of its Incorrect lines is what raw shaping pays a
// policy for each such line; (4) an extra-operation probe: each SFT solution with one more operation on a question
// number before a wrong answer (LabStepLabelledSet.ExtraOperationSolution; how raw-PRM policies fail at 150 PPO steps)
// — the mean score of those Incorrect(UnstatedOperation) lines. The AUC is measured again on test-split problems: the lab's reward-model
// settings were chosen by the validation figure, so the test figure is the one no choice has seen.
// Scores are the raw step scores of the lab's own raw-PRM reward pipeline.
// Written to rm/prm_check.json. Not the PRM's training (RewardModelRun) and not the labelling rules.
using ReasonRL.Core;
using ReasonRL.Data.Datasets;
using ReasonRL.Data.Lab;
using ReasonRL.Models;
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Sources;
using ReasonRL.Tensors;
using ReasonRL.Text;
using ReasonRL.Training.Ppo;
using ReasonRL.Training.RewardModels;
using System.Globalization;

namespace ReasonRL.Runs.Lab;

/// <summary>The PRM's quality on unseen responses.</summary>
/// <param name="Problems">Validation problems used.</param>
/// <param name="CorrectLines">Correct (necessary) lines of the sampled responses.</param>
/// <param name="IncorrectLines">Incorrect lines of the sampled responses.</param>
/// <param name="Auc">AUC of the step score, Correct vs Incorrect lines of the sampled responses.</param>
/// <param name="MeanCorrect">Mean score of Correct lines (sampled responses).</param>
/// <param name="MeanIncorrect">Mean score of Incorrect lines (sampled responses).</param>
/// <param name="MeanPaddingNecessary">Mean score of the gold lines of the padding probe.</param>
/// <param name="MeanPaddingUnnecessary">Mean score of its correct-but-unnecessary lines (restatement, repeat).</param>
public sealed record LabPrmCheck(int Problems, int CorrectLines, int IncorrectLines, double Auc, double MeanCorrect, double MeanIncorrect,
    double MeanPaddingNecessary, double MeanPaddingUnnecessary)
{
    /// <summary>Test problems of the confirmation: the same measure on test-split problems, which choose nothing
    /// (the lab's reward-model settings were picked by <see cref="Auc"/> on validation problems).</summary>
    public int TestProblems { get; init; }

    /// <summary>AUC of the step score, Correct vs Incorrect lines of SFT responses to <see cref="TestProblems"/>.</summary>
    public double TestAuc { get; init; } = double.NaN;

    /// <summary>Incorrect lines of the run-on probe (each validation problem's SFT solution run on past its answer,
    /// LabStepLabelledSet.RunOnSolution).</summary>
    public int RunOnIncorrectLines { get; init; }

    /// <summary>Mean score of the run-on probe's Incorrect lines: what a policy earns per such line under raw shaping.</summary>
    public double MeanRunOnIncorrect { get; init; } = double.NaN;

    /// <summary>Lines of the extra-operation probe that StepLabeller calls Incorrect(UnstatedOperation): each validation
    /// problem's SFT solution with one more operation on a question number before a (now wrong) answer
    /// (LabStepLabelledSet.ExtraOperationSolution).</summary>
    public int ExtraOperationLines { get; init; }

    /// <summary>Mean score of those lines: what raw shaping pays a policy for one more operation.</summary>
    public double MeanExtraOperation { get; init; } = double.NaN;

    /// <summary>The sampled validation responses' lines by the labeller's verdict, "Label:Reason" (e.g.
    /// "Incorrect:WrongArithmetic", "Unnecessary:Restatement"): how many and their mean raw score — which kinds of line
    /// the PRM gets wrong.</summary>
    public IReadOnlyDictionary<string, LabPrmReasonScore> ByReason { get; init; } = new Dictionary<string, LabPrmReasonScore>();

    /// <summary><see cref="Auc"/> without the final-answer lines (FinalCorrect, FinalIncorrect): how well the PRM tells the
    /// reasoning lines apart. A final-answer line is right only when the whole solution is, so its score is an outcome
    /// judgement (the ORM's task) more than a line's. A diagnostic beside the AUC, which counts every line.</summary>
    public double AucReasoningLines { get; init; } = double.NaN;
}

/// <summary>Lines of one labeller verdict in the PRM check and their mean raw PRM score.</summary>
public sealed record LabPrmReasonScore(int Lines, double MeanScore)
{
    /// <summary>AUC of these lines against every line of the other class: for a Correct verdict, these lines vs all Incorrect
    /// lines; for an Incorrect verdict, all Correct lines vs these. Which kind of line pulls <see cref="LabPrmCheck.Auc"/>
    /// down. NaN for Unnecessary lines (not in the AUC).</summary>
    public double AucAgainstOtherClass { get; init; } = double.NaN;
}

/// <summary>Computes <see cref="LabPrmCheck"/>.</summary>
public static class LabPrmChecker
{
    /// <summary>Relative path of the result.</summary>
    public const string ResultPath = "rm/prm_check.json";

    /// <summary>Samples per validation problem.</summary>
    public const int SamplesPerProblem = 2;

    /// <summary>Checks the PRM in rm/prm on up to <paramref name="maxProblems"/> validation problems.</summary>
    public static LabPrmCheck Run(LabContext ctx, int maxProblems = 250)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        var problems = ctx.ValidationProblems.Take(maxProblems).ToList();
        var gemm = GemmFactory.Create(GemmKind.Managed);
        var tokenizer = ctx.Tokenizer;
        using var policy = ModelStore.Load(ctx.Folder.PathOf(LabSftStage.PolicyPath), gemm);
        using var prm = LoadedRewardModel.Open(ctx.Folder.PathOf(LabRewardModelStage.PrmPath), new PrmScoringOptions(), tokenizer, RewardModelKind.Prm, gemm);
        // The raw-PRM design's reward section, read as `reasonrl train` reads it.
        var config = TrainConfigLoader.Parse(LabDesigns.RewardYaml(LabDesign.PrmRaw, ctx.Preset.Rewards), "(lab prm check)", []).Config;
        var pipeline = TrainRun.BuildRewards(TrainRun.RewardConfigOf(config, "(lab prm check)"), MathVerifierJudge.Create(), prm.Source);

        // (1) sampled responses: validation problems (where the lab's reward-model settings are chosen), then test problems
        // (never used to choose anything) to confirm the figure.
        var validation = SampledLines(ctx, policy, pipeline, problems, 1UL << 41);
        var test = SampledLines(ctx, policy, pipeline, ctx.TestProblems.Take(maxProblems).ToList(), (1UL << 41) + (1UL << 32));

        // (2) the padding probe
        var padded = problems.Select(p => Encoded(tokenizer, p, Padded(p))).ToList();
        double sumNecessary = 0, sumUnnecessary = 0;
        int necessary = 0, unnecessary = 0;
        foreach (var (_, lines) in Score(pipeline, padded))
        {
            foreach (var (label, _, score) in lines)
            {
                if (label == StepLabel.Unnecessary) { sumUnnecessary += score; unnecessary++; }
                else if (label == StepLabel.Correct) { sumNecessary += score; necessary++; }
            }
        }
        // (3) the run-on probe
        var runOnRng = Rng.ForStream(unchecked((ulong)ctx.Preset.BaseSeed), (1UL << 41) + (2UL << 32));
        var runOn = problems.Select(p => Encoded(tokenizer, p, LabStepLabelledSet.RunOnSolution(p, runOnRng))).ToList();
        double sumRunOn = 0;
        int runOnIncorrect = 0;
        foreach (var (_, lines) in Score(pipeline, runOn))
            foreach (var (_, _, score) in lines.Where(l => l.Label == StepLabel.Incorrect)) { sumRunOn += score; runOnIncorrect++; }

        // (4) the extra-operation probe
        var extraRng = Rng.ForStream(unchecked((ulong)ctx.Preset.BaseSeed), (1UL << 41) + (3UL << 32));
        var extra = problems.Select(p => Encoded(tokenizer, p, LabStepLabelledSet.ExtraOperationSolution(p, extraRng))).ToList();
        double sumExtra = 0;
        int extraLines = 0;
        foreach (var (_, lines) in Score(pipeline, extra, StepReason.UnstatedOperation))
            foreach (var (_, _, score) in lines) { sumExtra += score; extraLines++; }

        return new LabPrmCheck(problems.Count, validation.Correct, validation.Incorrect, validation.Auc, validation.MeanCorrect, validation.MeanIncorrect,
            Mean(sumNecessary, necessary), Mean(sumUnnecessary, unnecessary))
        {
            TestProblems = Math.Min(maxProblems, ctx.TestProblems.Count),
            TestAuc = test.Auc,
            RunOnIncorrectLines = runOnIncorrect,
            MeanRunOnIncorrect = Mean(sumRunOn, runOnIncorrect),
            ExtraOperationLines = extraLines,
            MeanExtraOperation = Mean(sumExtra, extraLines),
            ByReason = validation.ByReason,
            AucReasoningLines = validation.AucReasoningLines,
        };
    }

    private static double Mean(double sum, int n) => n == 0 ? double.NaN : sum / n;

    /// <summary>A written response with the policy's tokens' character ranges (as the sampler would decode it).</summary>
    private static (ArithmeticProblem Problem, string Text, Rewards.Steps.TokenOffset[] Offsets) Encoded(ITokenizer tokenizer, ArithmeticProblem problem, string response)
    {
        var (text, offsets) = ResponseText.Decode(tokenizer, tokenizer.Encode(response).Ids);
        return (problem, text, offsets);
    }

    /// <summary>Samples <see cref="SamplesPerProblem"/> responses per problem from the SFT policy (temperature 1, streams
    /// from <paramref name="streamBase"/>) and compares the PRM's raw step scores of Correct and Incorrect lines.</summary>
    private static (int Correct, int Incorrect, double Auc, double MeanCorrect, double MeanIncorrect, Dictionary<string, LabPrmReasonScore> ByReason,
        double AucReasoningLines) SampledLines(
        LabContext ctx, Transformer policy, RewardPipeline pipeline, IReadOnlyList<ArithmeticProblem> problems, ulong streamBase)
    {
        var tokenizer = ctx.Tokenizer;
        var prompts = problems.SelectMany(p => Enumerable.Repeat(PromptIds.Of(tokenizer, LabTask.Prompt(p.Question)), SamplesPerProblem)).ToList();
        var rngs = prompts.Select((_, i) => Rng.ForStream(unchecked((ulong)ctx.Preset.BaseSeed), streamBase + (ulong)i)).ToList();
        var generated = Generator.GenerateBatch(policy, prompts,
            new GenerationOptions { Temperature = 1f, MaxNewTokens = ctx.Preset.MaxNewTokens, EosIds = tokenizer.EosIds }, rngs);
        var sampled = generated.Select((g, i) =>
        {
            var (text, offsets) = ResponseText.Decode(tokenizer, g.Tokens);
            return (Problem: problems[i / SamplesPerProblem], Text: text, Offsets: offsets);
        }).ToList();
        var lines = new List<(string Key, StepLabel Label, StepReason Reason, double Score)>();
        foreach (var (_, scored) in Score(pipeline, sampled))
            foreach (var (label, why, score) in scored) lines.Add(($"{label}:{why}", label, why, score));
        var judged = lines.Where(l => l.Label != StepLabel.Unnecessary).Select(l => (l.Key, Correct: l.Label == StepLabel.Correct, l.Score)).ToList();
        int correct = judged.Count(l => l.Correct), incorrect = judged.Count - correct;
        var aucs = AucsAgainstOtherClass(judged);
        var byReason = lines.GroupBy(l => l.Key).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key,
            g => new LabPrmReasonScore(g.Count(), g.Average(l => l.Score)) { AucAgainstOtherClass = aucs.GetValueOrDefault(g.Key, double.NaN) }, StringComparer.Ordinal);
        var reasoning = lines.Where(l => l.Label != StepLabel.Unnecessary && l.Reason is not (StepReason.FinalCorrect or StepReason.FinalIncorrect)).ToList();
        return (correct, incorrect, Auc(judged), Mean(judged.Where(l => l.Correct).Sum(l => l.Score), correct), Mean(judged.Where(l => !l.Correct).Sum(l => l.Score), incorrect),
            byReason, Auc([.. reasoning.Select(l => (l.Key, l.Label == StepLabel.Correct, l.Score))]));
    }

    /// <summary>AUC of the score, Correct (true) vs Incorrect lines; NaN without both.</summary>
    internal static double Auc(IReadOnlyList<(string Key, bool Correct, double Score)> lines) =>
        lines.Any(l => l.Correct) && lines.Any(l => !l.Correct)
            ? RewardModelMetrics.Auc([.. lines.Select(l => l.Score)], [.. lines.Select(l => l.Correct ? 1f : 0f)])
            : double.NaN;

    /// <summary>For each key, the AUC of its lines against every line of the other class (a Correct key's lines vs all
    /// Incorrect lines; all Correct lines vs an Incorrect key's lines).</summary>
    internal static Dictionary<string, double> AucsAgainstOtherClass(IReadOnlyList<(string Key, bool Correct, double Score)> lines)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var g in lines.GroupBy(l => l.Key))
        {
            bool correct = g.First().Correct;
            result[g.Key] = Auc([.. g, .. lines.Where(l => l.Correct != correct)]);
        }
        return result;
    }

    /// <summary>The gold solution with a restatement of the first result after the first line and the first line
    /// repeated after the last operation line.</summary>
    public static string Padded(ArithmeticProblem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var ops = problem.Operations.Select(o => o.ToString()).ToList();
        var lines = new List<string> { ops[0], string.Create(CultureInfo.InvariantCulture, $"{problem.Operations[0].Result} = {problem.Operations[0].Result}") };
        lines.AddRange(ops.Skip(1));
        lines.Add(ops[0]);
        lines.Add(LabTask.AnswerLine(problem.Gold));
        return string.Join("\n", lines);
    }

    /// <summary>Each response's lines as (label, raw PRM score), for responses whose step split matches the labeller's lines.
    /// <paramref name="responses"/> carry their policy-token character ranges (from the sampler's decode, or an encode).</summary>
    private static IEnumerable<(ArithmeticProblem Problem, List<(StepLabel Label, StepReason Reason, double Score)> Lines)> Score(
        RewardPipeline pipeline, IReadOnlyList<(ArithmeticProblem Problem, string Text, Rewards.Steps.TokenOffset[] Offsets)> responses) =>
        Score(pipeline, responses, reason: null);

    /// <summary>The raw step scores of each response's lines with their labels; only the lines of <paramref name="reason"/>
    /// when it is given.</summary>
    private static IEnumerable<(ArithmeticProblem Problem, List<(StepLabel Label, StepReason Reason, double Score)> Lines)> Score(
        RewardPipeline pipeline, IReadOnlyList<(ArithmeticProblem Problem, string Text, Rewards.Steps.TokenOffset[] Offsets)> responses, StepReason? reason)
    {
        var samples = responses.Select(r =>
            new PolicySample(LabTask.Prompt(r.Problem.Question), r.Text, r.Problem.Gold.ToString(CultureInfo.InvariantCulture), r.Offsets)).ToList();
        var results = pipeline.ScoreAsync(samples).GetAwaiter().GetResult();
        for (int i = 0; i < responses.Count; i++)
        {
            var raw = results[i].Reward?.Diagnostics.RawStepScores;
            if (raw is null) continue;
            var labelled = StepLabeller.Label(responses[i].Problem, samples[i].Response);
            if (labelled.Lines.Count != raw.Count) continue;
            yield return (responses[i].Problem, labelled.Lines.Select((line, k) => (Line: line, Score: raw[k]))
                .Where(x => reason is null || x.Line.Reason == reason).Select(x => (x.Line.Label, x.Line.Reason, x.Score)).ToList());
        }
    }
}
