// PromptTemplates: the plain few-shot template for base models ("Question: …\nAnswer: …" blocks) and
// the Qwen math chain-of-thought instruction as a constant. Not a chat renderer: ChatML rendering
// lives in ReasonRL.Text and takes this instruction as its system message.
// Reference: Qwen2.5-Math evaluation, prompt type "qwen25-math-cot" (system message text).
using System.Text;

namespace ReasonRL.Data.Datasets;

/// <summary>One worked example for a few-shot prompt.</summary>
/// <param name="Question">The question text.</param>
/// <param name="Answer">The worked answer shown after "Answer:".</param>
public sealed record FewShotExample(string Question, string Answer);

/// <summary>Prompt texts for math models.</summary>
public static class PromptTemplates
{
    /// <summary>The Qwen2.5-Math chain-of-thought instruction (used as the system message of the
    /// ChatML prompt, the question being the user message).</summary>
    public const string QwenMathCotInstruction = "Please reason step by step, and put your final answer within \\boxed{}.";

    /// <summary>A base-model few-shot prompt: the first <paramref name="shotCount"/> shots as
    /// "Question: q\nAnswer: a" blocks separated by a blank line, then "Question: question\nAnswer:".
    /// The model continues after "Answer:". Throws when fewer shots than asked are given.</summary>
    public static string FewShot(IReadOnlyList<FewShotExample> shots, int shotCount, string question)
    {
        ArgumentNullException.ThrowIfNull(shots);
        ArgumentNullException.ThrowIfNull(question);
        ArgumentOutOfRangeException.ThrowIfNegative(shotCount);
        if (shotCount > shots.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(shotCount), shotCount, $"asked for {shotCount} shots but only {shots.Count} were given");
        }
        var sb = new StringBuilder();
        for (int i = 0; i < shotCount; i++)
        {
            sb.Append("Question: ").Append(shots[i].Question.Trim()).Append('\n')
              .Append("Answer: ").Append(shots[i].Answer.Trim()).Append("\n\n");
        }
        sb.Append("Question: ").Append(question.Trim()).Append('\n').Append("Answer:");
        return sb.ToString();
    }
}
