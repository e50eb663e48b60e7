// EvalMode: how the two unit conventions are read while evaluating one side of a comparison.
// The checker tries each reading that the expression can have (a percent sign may be dropped
// or mean /100; a degree sign may be dropped or mean ·π/180) and accepts if any reading matches.
namespace ReasonRL.Verifier;

/// <summary>One reading of percent and degree marks.</summary>
internal readonly record struct EvalMode(bool PercentAsFraction, bool DegreesAsRadians)
{
    public static EvalMode Plain => new(false, false);
}
