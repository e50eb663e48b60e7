// RepeatedSteps: counts steps that repeat an earlier step of the same response — the Gao et al.
// hack signature (docs/reward-methods.md §4, diagnostic 2: duplicate-step rate).
// Not a near-duplicate detector: two steps are the same when their texts are equal after collapsing
// runs of whitespace (so "x = 2 + 3" and "x  =  2 + 3" match, "x = 5" and "x=5" do not).
namespace ReasonRL.Rewards.Steps;

public static class RepeatedSteps
{
    /// <summary>Number of steps whose normalised text equals that of an earlier step
    /// (a step written 3 times counts 2).</summary>
    public static int Count(string response, ReadOnlySpan<StepSpan> steps)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var repeated = 0;
        foreach (var step in steps)
        {
            if (!seen.Add(Normalise(step.TextOf(response)))) repeated++;
        }
        return repeated;
    }

    private static string Normalise(string step) =>
        string.Join(' ', step.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
