// VerifyOptions: the immutable knobs of MathVerifier.Verify, each with its default in one place.
// Extraction policy, the hard resource limits (deterministic WorkBudget; TimeBudget is a hang guard),
// other graders' settings (Strict, OrderedLists, AllowSetRelationComparison, DecimalRounding) and the
// conventions a user may want the other way (LabelledAnswers, NumberWords, MultipleChoice, Percent); every
// other grading convention is fixed (MathVerifier's header).
namespace ReasonRL.Verifier;

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

/// <summary>How a number written with a percent sign may be read (<see cref="VerifyOptions.Percent"/>).</summary>
public enum PercentReading
{
    /// <summary>Either as its hundredth or as the bare number: 50\% ~ 0.5 and 50\% ~ 50; 66\frac{2}{3}\% ~ \frac{2}{3}.</summary>
    Either,

    /// <summary>Only as its hundredth: 50\% ~ 0.5, 50\% ≠ 50.</summary>
    Fraction,

    /// <summary>Only as the bare number (the sign is a unit): 50\% ~ 50, 50\% ≠ 0.5.</summary>
    Number,
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

    /// <summary>Strict grading: free variables must have the same names (f(y) ≠ f(x)). When false, two
    /// expressions whose variables differ only by name are compared after renaming the prediction's
    /// variables onto the gold's, in sorted order (Math-Verify's strict=False). Default: true.</summary>
    public bool Strict { get; init; } = true;

    /// <summary>A bare comma list is compared in order ("4, 10, -2" ≠ "10, 4, -2"), as string-comparing
    /// graders (the MATH is_equiv) do. Default: false (the convention: a bare comma list is an unordered
    /// list of solutions). Tuples are always ordered and sets never are.</summary>
    public bool OrderedLists { get; init; }

    /// <summary>An inequality prediction (-2 ≤ x ≤ 7) may equal a gold set that describes the same set
    /// (x ∈ [-2, 7], [-2, 7]). Default: true. When false (Math-Verify's allow_set_relation_comp=False) such
    /// pairs are not equal; the other direction — a set prediction against a gold inequality — is always
    /// compared by value.</summary>
    public bool AllowSetRelationComparison { get; init; } = true;

    /// <summary>When set, a number written as a decimal also equals a value that agrees with it after
    /// both are rounded to this many decimal places (Math-Verify's precision / float_rounding:
    /// 0.3333 ~ 1/3 at 4). Default: null — the convention: a decimal approximation of an irrational or
    /// repeating value is not equal (0.3333 ≠ 1/3, 1.414 ≠ √2).</summary>
    public int? DecimalRounding { get; init; }

    /// <summary>A labelled answer equals its bare value: "\angle PQR = 40^\circ" ~ 40, "m+n = 9" ~ 9,
    /// "g^{-1}(x) = 3x+2" ~ 3x+2 — the left side is a label (a name followed by words, a sum of names
    /// other than x, y, z without coefficients, an inverse function applied), not an equation in the
    /// unknowns ("x+y = 9" and "2x+z = 1" are never their right side). Names alone (x = 3, f(x) = …, |AB| = …)
    /// are always read as labels. Default: true; false keeps only those plain names.</summary>
    public bool LabelledAnswers { get; init; } = true;

    /// <summary>An answer written entirely in English number words is its value: "seven" ~ 7,
    /// "twenty-one" ~ 21, "one hundred and five" ~ 105, "one half" ~ 1/2, "negative three" ~ -3.
    /// Default: true; false reads such answers as text (Incorrect against a numeral).</summary>
    public bool NumberWords { get; init; } = true;

    /// <summary>Multiple-choice answers: "(C)", "\textbf{(C) }15" are the choice C with its value, if written;
    /// two choices agree when their letters do (and their values, where both have one), a choice equals the
    /// bare letter "C", and a choice with a value equals that value ("15" ~ "\textbf{(C) }15"); a letter alone
    /// never equals a value. Default: true; false parses "(C) 15" as the product C·15, as before.</summary>
    public bool MultipleChoice { get; init; } = true;

    /// <summary>How a percent sign on one side is read against a number without one: either as a hundredth or as
    /// the bare number (50\% ~ 0.5 and ~ 50; 66\frac{2}{3}\% ~ \frac{2}{3}), only as a hundredth (50\% ≠ 50), or only
    /// as the bare number (50\% ≠ 0.5). A sign written on both sides is always read the same way on both
    /// (50\% ≠ 0.5\%). Default: <see cref="PercentReading.Either"/>.</summary>
    public PercentReading Percent { get; init; } = PercentReading.Either;

    /// <summary>Relative tolerance when both sides are only known numerically (irrational constants,
    /// functions, variables). Default: 1e-9 (double evaluation keeps ~1e-13 on these sizes).</summary>
    public double NumericTolerance { get; init; } = 1e-9;
}
