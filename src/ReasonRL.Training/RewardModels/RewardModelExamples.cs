// RewardModelExamples: builds trainer examples from labelled text through RewardModelInputs — the same
// function the PRM/ORM sources score with — so a model is trained on exactly the tokens it is later read at.
//   PRM: response = steps joined by "\n" (the lab's and the default splitter's step separator), one label
//        per step read at the convention's position (StepEndToken: the step's last token);
//   ORM: prompt + response, one label (correct) at the last token.
// The prompt is LabTask.Prompt(question) (question + "\n", the policy's prompt format) unless a prompt
// function is given. Not the file loaders (ReasonRL.Data.Datasets) and not the trainer.
using ReasonRL.Data.Lab;
using ReasonRL.Data.Records;
using ReasonRL.Rewards.Sources;
using ReasonRL.Text;

namespace ReasonRL.Training.RewardModels;

public static class RewardModelExamples
{
    /// <summary>A PRM example: steps joined by <paramref name="joiner"/>, label k at step k's read position.</summary>
    /// <exception cref="ArgumentException">Steps and labels differ in length.</exception>
    public static RewardModelExample FromSteps(ITokenizer tokenizer, string prompt, IReadOnlyList<string> steps, IReadOnlyList<bool> labels,
        PrmScoringOptions? options = null, string? groupId = null, bool? responseCorrect = null, string joiner = "\n")
    {
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(labels);
        if (steps.Count != labels.Count) throw new ArgumentException($"{steps.Count} steps but {labels.Count} labels; expected one label per step");
        var (response, spans) = RewardModelInputs.JoinSteps(steps, joiner);
        var (tokens, positions) = RewardModelInputs.ForSteps(tokenizer, prompt, response, spans, options);
        return new RewardModelExample(tokens, positions, labels.Select(l => l ? 1f : 0f).ToArray(), groupId, responseCorrect);
    }

    /// <summary>An ORM example: label = <paramref name="correct"/> at the last token; the group's
    /// ResponseCorrect is the same flag.</summary>
    public static RewardModelExample FromOutcome(ITokenizer tokenizer, string prompt, string response, bool correct, string? groupId = null)
    {
        var (tokens, positions) = RewardModelInputs.ForOutcome(tokenizer, prompt, response);
        return new RewardModelExample(tokens, positions, [correct ? 1f : 0f], groupId, correct);
    }

    /// <summary>A PRM example from the lab's PrmRecord (prompt = <paramref name="promptOf"/>(question), default LabTask.Prompt).</summary>
    public static RewardModelExample FromRecord(ITokenizer tokenizer, PrmRecord record, PrmScoringOptions? options = null,
        string? groupId = null, bool? responseCorrect = null, Func<string, string>? promptOf = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        return FromSteps(tokenizer, (promptOf ?? LabTask.Prompt)(record.Question), record.Steps, record.Labels, options, groupId, responseCorrect);
    }

    /// <summary>An ORM example from the lab's OrmRecord (group = the question unless given).</summary>
    public static RewardModelExample FromRecord(ITokenizer tokenizer, OrmRecord record, string? groupId = null, Func<string, string>? promptOf = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        return FromOutcome(tokenizer, (promptOf ?? LabTask.Prompt)(record.Question), record.Response, record.Correct, groupId ?? record.Question);
    }
}
