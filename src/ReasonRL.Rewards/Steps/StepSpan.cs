// StepSpan: one reasoning step as a half-open character range [Start, End) of the response text.
// It is the unit every part of the reward layer agrees on (PRM scoring, shaping, the trainer's
// token rewards): a step is located by characters, never by tokens, so the policy tokenizer and a
// PRM's tokenizer can both map it to their own token indices (docs/reward-methods.md §8).
// It is not a token index: StepTokenMap turns spans into the index of each step's last token.
namespace ReasonRL.Rewards.Steps;

/// <summary>A step's characters in the response: <c>text[Start..End)</c>, with
/// <c>0 ≤ Start &lt; End ≤ text.Length</c> for every span a <see cref="StepSplitter"/> returns.</summary>
public readonly record struct StepSpan(int Start, int End)
{
    /// <summary>Number of characters, End − Start.</summary>
    public int Length => End - Start;

    /// <summary>The step's text inside <paramref name="response"/>.</summary>
    public string TextOf(string response) => response.Substring(Start, Length);

    public override string ToString() => $"[{Start}, {End})";
}
