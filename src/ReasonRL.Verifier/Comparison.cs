// Comparison: the three-valued result of comparing two parsed answers, with the rule that
// decided. Unknown is not "different": it becomes Verdict.Unverifiable with its reason.
namespace ReasonRL.Verifier;

internal enum Outcome { Equal, NotEqual, Unknown }

internal readonly record struct Comparison(Outcome Outcome, string Reason)
{
    public static Comparison Equal(string why) => new(Outcome.Equal, why);
    public static Comparison NotEqual(string why) => new(Outcome.NotEqual, why);
    public static Comparison Unknown(string why) => new(Outcome.Unknown, why);
    public bool IsEqual => Outcome == Outcome.Equal;
}
