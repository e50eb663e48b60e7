// LabRecords: the small result records a lab run writes into its folder (JSON) and reads back on
// resume — per-stage timing, held-out evaluation, reward-model quality, one PPO run's outcome.
// Not the table (LabTable) and not the report (LabReport); those are computed from these records.
using ReasonRL.Data.Lab;
using ReasonRL.Training;

namespace ReasonRL.Runs.Lab;

/// <summary>A completed stage: written last, atomically, so its presence means the stage's outputs are complete.</summary>
/// <param name="Stage">Stage key, e.g. "sft".</param>
/// <param name="WallSeconds">Wall time the stage took when it ran.</param>
/// <param name="CompletedAt">When it completed.</param>
public sealed record LabStageRecord(string Stage, double WallSeconds, DateTimeOffset CompletedAt);

/// <summary>Aggregates of labelled held-out responses (the table's per-run columns).</summary>
/// <param name="SampleCount">Responses.</param>
/// <param name="Accuracy">Share whose final answer verified Correct.</param>
/// <param name="MeanSteps">Reasoning lines per response (answer line excluded).</param>
/// <param name="UnnecessaryStepRate">Unnecessary lines / lines (pooled).</param>
/// <param name="RepeatedStepRate">Repeated lines / lines (pooled).</param>
/// <param name="IncorrectStepRate">Incorrect lines / lines (pooled).</param>
/// <param name="TruncationRate">Share with no final-answer line.</param>
/// <param name="MeanResponseChars">Mean response length in characters.</param>
public sealed record LabEvalSummary(int SampleCount, double Accuracy, double MeanSteps, double UnnecessaryStepRate,
    double RepeatedStepRate, double IncorrectStepRate, double TruncationRate, double MeanResponseChars)
{
    /// <summary>The summary of labelled responses.</summary>
    public static LabEvalSummary Of(IReadOnlyList<LabelledSolution> labelled)
    {
        ArgumentNullException.ThrowIfNull(labelled);
        var s = LabelSummary.Of(labelled);
        double chars = labelled.Count == 0 ? 0 : labelled.Average(l => (double)l.Response.Length);
        return new LabEvalSummary(s.SampleCount, s.Accuracy, s.MeanSteps, s.UnnecessaryStepRate, s.RepeatedStepRate,
            s.IncorrectStepRate, s.TruncationRate, chars);
    }

    /// <summary>Correct lines that advance the solution, per response (MeanSteps × the pooled Correct rate).</summary>
    public double NecessaryLines => MeanSteps * Math.Max(0, 1 - UnnecessaryStepRate - IncorrectStepRate);

    /// <summary>Correct-but-unnecessary lines per response (restatements, repeats, checks, known results).</summary>
    public double UnnecessaryLines => MeanSteps * UnnecessaryStepRate;

    /// <summary>Lines repeating an earlier line of the same response, per response (a subset of the other kinds).</summary>
    public double RepeatedLines => MeanSteps * RepeatedStepRate;

    /// <summary>Correct-but-unnecessary plus repeated lines per response: the padding of the paper's hack (a repeated
    /// line the labeller calls unnecessary counts in both terms).</summary>
    public double PaddingLines => MeanSteps * (UnnecessaryStepRate + RepeatedStepRate);

    /// <summary>Incorrect lines per response.</summary>
    public double IncorrectLines => MeanSteps * IncorrectStepRate;
}

/// <summary>One labelled response kept for the report's examples.</summary>
/// <param name="ProblemId">Problem id, e.g. "test-1234-5".</param>
/// <param name="Question">The question.</param>
/// <param name="Gold">Gold answer.</param>
/// <param name="Response">The response text.</param>
/// <param name="Correct">Final answer verified Correct.</param>
/// <param name="Steps">Reasoning lines.</param>
/// <param name="Unnecessary">Unnecessary lines.</param>
/// <param name="Repeated">Repeated lines.</param>
/// <param name="Truncated">No final-answer line.</param>
public sealed record LabExample(string ProblemId, string Question, long Gold, string Response, bool Correct, int Steps,
    int Unnecessary, int Repeated, bool Truncated)
{
    /// <summary>The example of a labelled response.</summary>
    public static LabExample Of(ArithmeticProblem problem, LabelledSolution labelled)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(labelled);
        return new LabExample(problem.Id, problem.Question, problem.Gold, labelled.Response, labelled.IsCorrect,
            labelled.StepCount, labelled.UnnecessaryCount, labelled.RepeatedStepCount, labelled.IsTruncated);
    }
}

/// <summary>Greedy held-out evaluation of one policy: aggregates and every labelled response.</summary>
public sealed record LabEvalResult(LabEvalSummary Summary, IReadOnlyList<LabExample> Examples);

/// <summary>Held-out quality of a trained reward model (from RewardModelTrainer's report).</summary>
/// <param name="Kind">"prm" or "orm".</param>
/// <param name="TrainLoss">Final training loss (BCE).</param>
/// <param name="HeldOutLoss">Held-out BCE.</param>
/// <param name="Accuracy">Held-out accuracy at threshold 0.5 (per step for the PRM, per response for the ORM).</param>
/// <param name="MajorityBaseline">Accuracy of always predicting the majority label.</param>
/// <param name="Auc">Held-out ROC AUC.</param>
/// <param name="BestOfNAccuracy">Accuracy of the RM's best-of-n pick among each problem's samples, when measured.</param>
/// <param name="HeldOutPositions">Scored held-out positions.</param>
/// <param name="TrainExamples">Training examples (responses).</param>
/// <param name="HeldOutExamples">Held-out examples (responses).</param>
public sealed record LabRewardModelQuality(string Kind, double TrainLoss, double HeldOutLoss, double Accuracy,
    double MajorityBaseline, double Auc, double? BestOfNAccuracy, int HeldOutPositions, int TrainExamples, int HeldOutExamples);

/// <summary>The outcome of one PPO run (one design, one seed).</summary>
/// <param name="Design">Design name, e.g. "prm_raw".</param>
/// <param name="Seed">Seed.</param>
/// <param name="Steps">PPO steps taken.</param>
/// <param name="Eval">Greedy held-out evaluation of the final policy.</param>
/// <param name="LearnedReturn">Mean learned return per response over the last steps of training.</param>
/// <param name="Kl">Mean KL to the reference over the last steps.</param>
/// <param name="Success">Mean success reward over the last steps.</param>
/// <param name="FirstLearnedReturn">Mean learned return over the first steps (the return's starting level).</param>
/// <param name="WallSeconds">Wall time of the run (training + evaluation).</param>
/// <param name="HackingWarnings">Steps at which HackingMonitor warned (learned return up, success down).</param>
public sealed record LabRunResult(string Design, int Seed, int Steps, LabEvalSummary Eval, double LearnedReturn, double Kl,
    double Success, double FirstLearnedReturn, double WallSeconds, int HackingWarnings);
