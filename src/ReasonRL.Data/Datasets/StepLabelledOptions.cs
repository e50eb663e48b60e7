// StepLabelledOptions: how the step-labelled loaders map the formats' labels to binary PRM labels.
// PRM800K ratings: +1 → positive, −1 → negative, 0 → NeutralIsPositive (default true). Why neutral is
// positive by default: PRM800K's 0 marks a step that is reasonable but not clearly helpful (or ambiguous) —
// it contains no mistake, and the solution can still reach the right answer after it; labelling it negative
// would teach the PRM to punish harmless steps. This matches the lab's convention that unnecessary but correct
// steps are positive (PrmLabelOptions.UnnecessaryIsPositive), which is exactly the hackable PRM that
// Clip/Delta shaping is meant to tame. Set false for the strict reading (only +1 is positive).
// Not the loader (StepLabelledLoader).
namespace ReasonRL.Data.Datasets;

/// <summary>Which file format a step-labelled line is in.</summary>
public enum StepLabelledFormat
{
    /// <summary>Recognise each line by its fields (native, PRM800K nested, Math-Shepherd).</summary>
    Auto,

    /// <summary>{"question"|"prompt", "steps"|"completions", "labels" (bool or 0/1) | "ratings" (−1/0/1), "group"?, "correct"?}.</summary>
    Native,

    /// <summary>PRM800K's nested rows: {"question": {"problem"}, "label": {"steps": [{"completions": [{"text", "rating"}], "chosen_completion", "human_completion"}]}}.</summary>
    Prm800k,

    /// <summary>Math-Shepherd rows: {"input": question + steps each ending in "ки", "label": the same text with "+" or "-" in place of each tag}.</summary>
    MathShepherd,
}

/// <summary>Loader settings; defaults listed per property.</summary>
public sealed record StepLabelledOptions
{
    public static StepLabelledOptions Default { get; } = new();

    /// <summary>Default Auto.</summary>
    public StepLabelledFormat Format { get; init; } = StepLabelledFormat.Auto;

    /// <summary>A PRM800K rating of 0 is a positive step. Default true (see the file header for why).</summary>
    public bool NeutralIsPositive { get; init; } = true;

    /// <summary>The Math-Shepherd step tag. Default "ки".</summary>
    public string MathShepherdTag { get; init; } = "ки";
}
