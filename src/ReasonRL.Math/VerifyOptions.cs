// VerifyOptions: the immutable knobs of MathVerifier.Verify, each with its default in one place.
// Not a place for grading conventions (those are fixed, see MathVerifier's header); only for
// extraction policy and the hard resource limits (deterministic WorkBudget; TimeBudget is a hang guard).
namespace ReasonRL.Math;

/// <summary>Where an input string's answer comes from.</summary>
public enum AnswerSource
{
    /// <summary>Extract when the string looks like a whole solution (a \boxed{}, "####", "answer is",
    /// or longer than <see cref="VerifyOptions.ShortAnswerLength"/>), else the string is the answer.</summary>
    Auto,

    /// <summary>Always run answer extraction (boxed, anchors, math delimiters, last number).</summary>
    Solution,

    /// <summary>The string is the answer itself; only $…$ delimiters are stripped.</summary>
    Answer,
}

/// <summary>Options for <see cref="MathVerifier.Verify"/>. Immutable; share one instance freely.</summary>
public sealed record VerifyOptions
{
    /// <summary>The defaults listed on each property.</summary>
    public static VerifyOptions Default { get; } = new();

    /// <summary>How the solution (prediction) is read. Default: Solution (always extract).</summary>
    public AnswerSource Prediction { get; init; } = AnswerSource.Solution;

    /// <summary>How the gold string is read. Default: Auto (GSM8K answers with "#### N" are extracted).</summary>
    public AnswerSource Gold { get; init; } = AnswerSource.Auto;

    /// <summary>When nothing else is found, use the last number in a solution. Default: true.</summary>
    public bool FallbackToLastNumber { get; init; } = true;

    /// <summary>Strings up to this length with no extraction anchor are taken whole as the answer
    /// (e.g. "28 percent", "x = 3"). Default: 64 characters.</summary>
    public int ShortAnswerLength { get; init; } = 64;

    /// <summary>Deterministic work fuel for one call, in steps (a token lexed, a node parsed or evaluated,
    /// a sample point, 64 bits of a big-number operand, 64 characters scanned by extraction). Past it the
    /// verdict is Unverifiable("work budget exceeded: …"), never Incorrect. This is the budget: the same
    /// input and options give the same verdict on any machine under any load. The default bounds any
    /// input to a few milliseconds on a quiet machine (the acceptance bound is 20 ms worst case).
    /// Default: 200,000 steps (the fuzz corpus peaks near 125,000; ~5–50 ns a step).</summary>
    public long WorkBudget { get; init; } = DefaultWorkBudget;

    /// <summary>Default of <see cref="WorkBudget"/>.</summary>
    public const long DefaultWorkBudget = 200_000;

    /// <summary>Wall-clock hang guard, NOT the budget: read every 256 steps, it stops only a call that is
    /// genuinely stuck (the work budget ends every normal call long before). Past it the verdict is
    /// Unverifiable("time backstop exceeded …"), never Incorrect. Because it depends on machine load, a
    /// verdict it decides is not reproducible; it should never fire. Default: 1 s.</summary>
    public TimeSpan TimeBudget { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest extracted answer that is parsed; longer ones are Unverifiable. Default: 4,000 chars.</summary>
    public int MaxAnswerLength { get; init; } = 4_000;

    /// <summary>Deepest bracket/operator nesting the parser accepts. Default: 100.</summary>
    public int MaxNestingDepth { get; init; } = 100;

    /// <summary>Random points at which expressions with free variables are compared. Default: 6.</summary>
    public int SamplePoints { get; init; } = 6;

    /// <summary>Seed of the sample points (fixed, so verdicts are reproducible). Default: 20250611.</summary>
    public int Seed { get; init; } = 20250611;

    /// <summary>Relative tolerance when both sides are only known numerically (irrational constants,
    /// functions, variables). Default: 1e-9 (double evaluation keeps ~1e-13 on these sizes).</summary>
    public double NumericTolerance { get; init; } = 1e-9;
}
