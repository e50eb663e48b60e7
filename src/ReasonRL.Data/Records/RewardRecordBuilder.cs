// RewardRecordBuilder: turns lab problems into SFT pairs and labelled samples into PRM and ORM rows.
// Not the labeller (StepLabeller decides labels) and not the trainer.
//
// Why unnecessary steps are positive PRM labels by default: the lab reproduces the paper's finding
// that a PRM rates correct-but-useless steps well, so a raw summed PRM reward can be farmed by adding
// them (docs/reward-methods.md §1–2). A PRM trained to call such steps positive is that hackable PRM; the
// lab then shows Clip/Delta shaping removing the incentive. Setting UnnecessaryIsPositive = false
// trains a PRM that punishes them instead (a different, less faithful experiment).
using ReasonRL.Data.Lab;

namespace ReasonRL.Data.Records;

/// <summary>How step labels become binary PRM labels.</summary>
public sealed record PrmLabelOptions
{
    /// <summary>The defaults listed on each property.</summary>
    public static PrmLabelOptions Default { get; } = new();

    /// <summary>Unnecessary steps count as positive. Default: true (see the file header for why).</summary>
    public bool UnnecessaryIsPositive { get; init; } = true;

    /// <summary>Include the final-answer line as the last step (positive when it verifies Correct).
    /// Default: true.</summary>
    public bool IncludeFinalAnswerLine { get; init; } = true;

    /// <summary>The binary label of one step under these options.</summary>
    public bool IsPositive(StepLabel label) => label switch
    {
        StepLabel.Correct => true,
        StepLabel.Unnecessary => UnnecessaryIsPositive,
        _ => false,
    };
}

/// <summary>Builders of SFT, PRM and ORM rows.</summary>
public static class RewardRecordBuilder
{
    /// <summary>SFT pairs: the lab prompt and the problem's SFT solution (gold lines plus the
    /// configured share of unnecessary lines).</summary>
    public static IEnumerable<SftExample> Sft(IEnumerable<ArithmeticProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Select(p => new SftExample(LabTask.Prompt(p.Question), p.SftSolution));
    }

    /// <summary>A PRM row from a labelled response: one step per non-blank line.</summary>
    public static PrmRecord Prm(string question, LabelledSolution labelled, PrmLabelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(labelled);
        options ??= PrmLabelOptions.Default;
        var lines = labelled.Lines.Where(l => options.IncludeFinalAnswerLine || !l.IsFinalAnswer).ToList();
        return new PrmRecord(question, lines.Select(l => l.Text).ToList(), lines.Select(l => options.IsPositive(l.Label)).ToList());
    }

    /// <summary>An ORM row from a labelled response: correct = final answer verified Correct.</summary>
    public static OrmRecord Orm(string question, LabelledSolution labelled)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(labelled);
        return new OrmRecord(question, labelled.Response, labelled.IsCorrect);
    }
}
