// LabRows: the JSONL row types of a lab run's data files — problems (data/*.jsonl), policy samples
// (samples/samples.jsonl) and their step labels (samples/labelled.jsonl). Not the labeller's own
// records (ReasonRL.Data.Lab) — these are flat, serialisable copies for the run folder.
using ReasonRL.Data.Lab;
using ReasonRL.Training;

namespace ReasonRL.Runs.Lab;

/// <summary>One generated problem.</summary>
public sealed record LabProblemRow(string Id, string Question, long Gold, int Operations, string GoldSolution, string SftSolution)
{
    /// <summary>The row of a problem.</summary>
    public static LabProblemRow Of(ArithmeticProblem p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new LabProblemRow(p.Id, p.Question, p.Gold, p.OperationCount, p.GoldSolution, p.SftSolution);
    }
}

/// <summary>One SFT example of data/sft.jsonl (the fields `reasonrl sft` reads by default).</summary>
public sealed record LabSftRow(string Prompt, string Response);

/// <summary>One response sampled from the SFT policy on a training problem.</summary>
/// <param name="ProblemId">The problem's id.</param>
/// <param name="Sample">Index of the sample among the problem's samples.</param>
/// <param name="Response">Decoded response (specials removed).</param>
/// <param name="HitLengthLimit">Generation stopped at the token limit instead of EOS.</param>
/// <param name="Source">"policy" (sampled from the SFT policy), "corrupted" (a corrupted copy of the SFT solution,
/// LabStepLabelledSet.CorruptedSolution), "run_on" (its SFT solution run on past the answer,
/// LabStepLabelledSet.RunOnSolution), "extra_operation" (one more operation before a wrong answer,
/// LabStepLabelledSet.ExtraOperationSolution) or "sft" (the SFT solution as written).</param>
public sealed record LabSampleRow(string ProblemId, int Sample, string Response, bool HitLengthLimit, string Source = LabSampleRow.Policy)
{
    /// <summary>Values of <see cref="Source"/>.</summary>
    public const string Policy = "policy", Corrupted = "corrupted", RunOn = "run_on", ExtraOperation = "extra_operation", Sft = "sft";
}

/// <summary>One labelled line of a sample.</summary>
/// <param name="Start">Offset of the line in the response.</param>
/// <param name="Length">Characters of the line.</param>
/// <param name="Label">Correct, Unnecessary or Incorrect.</param>
/// <param name="Reason">The labelling rule that decided it.</param>
/// <param name="IsFinalAnswer">The final-answer line.</param>
public sealed record LabLineLabel(int Start, int Length, StepLabel Label, StepReason Reason, bool IsFinalAnswer);

/// <summary>A sample with its step labels.</summary>
/// <param name="ProblemId">The problem's id.</param>
/// <param name="Sample">Index of the sample among the problem's samples.</param>
/// <param name="Response">The response.</param>
/// <param name="Correct">Final answer verified Correct.</param>
/// <param name="Truncated">No final-answer line.</param>
/// <param name="Lines">Every non-blank line, labelled.</param>
public sealed record LabLabelledRow(string ProblemId, int Sample, string Response, bool Correct, bool Truncated, IReadOnlyList<LabLineLabel> Lines)
{
    /// <summary>The row of a labelled sample.</summary>
    public static LabLabelledRow Of(LabSampleRow sample, LabelledSolution labelled)
    {
        ArgumentNullException.ThrowIfNull(sample);
        ArgumentNullException.ThrowIfNull(labelled);
        var lines = labelled.Lines.Select(l => new LabLineLabel(l.Start, l.Length, l.Label, l.Reason, l.IsFinalAnswer)).ToList();
        return new LabLabelledRow(sample.ProblemId, sample.Sample, sample.Response, labelled.IsCorrect, labelled.IsTruncated, lines);
    }
}
