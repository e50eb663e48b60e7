// Expr: the expression tree the parser builds and the equivalence checker compares. Plain
// immutable node classes, one per construct; no evaluation logic here (ExactEvaluator,
// NumericEvaluator) and no printing (ExprPrinter). Structures (tuple, set, interval, matrix,
// relation, answer list) are nodes too, so one tree holds any final answer.
namespace ReasonRL.Verifier;

/// <summary>Base of all expression nodes.</summary>
internal abstract class Expr;

/// <summary>Exact rational literal (integers, decimals, scientific notation).</summary>
internal sealed class NumberExpr(BigRational value, bool isDecimal) : Expr
{
    public BigRational Value { get; } = value;
    /// <summary>Written with a decimal point (e.g. "1.414"): an approximation is never equal to an irrational.</summary>
    public bool IsDecimal { get; } = isDecimal;
}

/// <summary>Free variable, e.g. x, a_{37}, \alpha.</summary>
internal sealed class SymbolExpr(string name) : Expr
{
    public string Name { get; } = name;
}

internal enum ConstantKind { Pi, E, I, Infinity }

/// <summary>\pi, e, i, \infty.</summary>
internal sealed class ConstantExpr(ConstantKind kind) : Expr
{
    public ConstantKind Kind { get; } = kind;
}

/// <summary>Sum of terms (subtraction is a Negate term).</summary>
internal sealed class SumExpr(Expr[] terms) : Expr
{
    public Expr[] Terms { get; } = terms;
}

/// <summary>Product of factors (division is a Divide node).</summary>
internal sealed class ProductExpr(Expr[] factors) : Expr
{
    public Expr[] Factors { get; } = factors;
}

internal sealed class NegateExpr(Expr operand) : Expr
{
    public Expr Operand { get; } = operand;
}

internal sealed class DivideExpr(Expr numerator, Expr denominator) : Expr
{
    public Expr Numerator { get; } = numerator;
    public Expr Denominator { get; } = denominator;
}

internal sealed class PowerExpr(Expr @base, Expr exponent) : Expr
{
    public Expr Base { get; } = @base;
    public Expr Exponent { get; } = exponent;
}

/// <summary>n-th root (\sqrt[n]{x}; \sqrt{x} has index 2).</summary>
internal sealed class RootExpr(Expr radicand, Expr index) : Expr
{
    public Expr Radicand { get; } = radicand;
    public Expr Index { get; } = index;
}

/// <summary>Named function: sin, cos, …, ln, log (with optional base), exp, abs, factorial, binom,
/// or an unknown function application f(x) (Name starts with "apply:").</summary>
internal sealed class FunctionExpr(string name, Expr[] args) : Expr
{
    public string Name { get; } = name;
    public Expr[] Args { get; } = args;
}

/// <summary>a ± b: stands for the two values a + b and a − b.</summary>
internal sealed class PlusMinusExpr(Expr left, Expr right) : Expr
{
    public Expr Left { get; } = left;
    public Expr Right { get; } = right;
}

/// <summary>x% — equal to x or to x/100 (the percent sign may be dropped on either side).</summary>
internal sealed class PercentExpr(Expr operand) : Expr
{
    public Expr Operand { get; } = operand;
}

/// <summary>x° — equal to x (unit dropped) or to x·π/180 (radians).</summary>
internal sealed class DegreeExpr(Expr operand) : Expr
{
    public Expr Operand { get; } = operand;
}

/// <summary>A number with unit words dropped ("125 miles"); compares as its value.</summary>
internal sealed class QuantityExpr(Expr value, string unit) : Expr
{
    public Expr Value { get; } = value;
    public string Unit { get; } = unit;
}

/// <summary>Several quantities in a row ("3 hours 20 minutes"): never equal to a single number.</summary>
internal sealed class CompoundQuantityExpr(Expr[] parts) : Expr
{
    public Expr[] Parts { get; } = parts;
}

/// <summary>Clock time h:mm (units such as "p.m." dropped).</summary>
internal sealed class TimeExpr(int hours, int minutes) : Expr
{
    public int Hours { get; } = hours;
    public int Minutes { get; } = minutes;
}

/// <summary>Ratio a:b.</summary>
internal sealed class RatioExpr(Expr left, Expr right) : Expr
{
    public Expr Left { get; } = left;
    public Expr Right { get; } = right;
}

internal enum CollectionKind
{
    /// <summary>Bare comma list: an unordered list of solutions.</summary>
    AnswerList,
    /// <summary>(a, b, c): order matters.</summary>
    Tuple,
    /// <summary>\{a, b\}: order does not matter.</summary>
    Set,
}

internal sealed class CollectionExpr(CollectionKind kind, Expr[] items) : Expr
{
    public CollectionKind Kind { get; } = kind;
    public Expr[] Items { get; } = items;
}

/// <summary>Interval with bracket types ((a, b], [a, ∞), …).</summary>
internal sealed class IntervalExpr(Expr low, Expr high, bool lowClosed, bool highClosed) : Expr
{
    public Expr Low { get; } = low;
    public Expr High { get; } = high;
    public bool LowClosed { get; } = lowClosed;
    public bool HighClosed { get; } = highClosed;
}

/// <summary>Union of intervals/sets (A \cup B).</summary>
internal sealed class UnionExpr(Expr[] parts) : Expr
{
    public Expr[] Parts { get; } = parts;
}

/// <summary>Set difference A \setminus B (e.g. \mathbb{R} \setminus \{2\}).</summary>
internal sealed class SetDifferenceExpr(Expr from, Expr removed) : Expr
{
    public Expr From { get; } = from;
    public Expr Removed { get; } = removed;
}

/// <summary>Matrix (pmatrix, bmatrix, array …), rows × columns.</summary>
internal sealed class MatrixExpr(Expr[][] rows) : Expr
{
    public Expr[][] Rows { get; } = rows;
}

internal enum RelationOp { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual, Approx, In }

/// <summary>Chain a op b op c … (equations, inequalities, x \in S).</summary>
internal sealed class RelationExpr(Expr[] operands, RelationOp[] ops) : Expr
{
    public Expr[] Operands { get; } = operands;
    public RelationOp[] Ops { get; } = ops;
}

/// <summary>Words only ("Evelyn", "odd", "(C)"): compared case-insensitively.</summary>
internal sealed class TextExpr(string text) : Expr
{
    public string Text { get; } = text;
}
