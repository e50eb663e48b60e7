// ArithmeticStep: one binary operation of a lab problem or solution line, `left op right = result`,
// with its exact integer evaluation and its text form. Not a parser (StepLabeller reads lines) and
// not a general expression type: the lab only needs + - * / on non-negative integers.
using System.Globalization;

namespace ReasonRL.Data.Lab;

/// <summary>The four operators a lab line can use.</summary>
public enum ArithmeticOperator
{
    /// <summary><c>+</c></summary>
    Add,

    /// <summary><c>-</c></summary>
    Subtract,

    /// <summary><c>*</c></summary>
    Multiply,

    /// <summary><c>/</c> (exact integer division only; used by inverse checks of a product).</summary>
    Divide,
}

/// <summary>One line of arithmetic: <c>Left Operator Right = Result</c>, e.g. <c>12 + 7 = 19</c>.</summary>
/// <param name="Left">Left operand, e.g. 12.</param>
/// <param name="Operator">The operator.</param>
/// <param name="Right">Right operand, e.g. 7.</param>
/// <param name="Result">The claimed result, e.g. 19 (not necessarily right when parsed from text).</param>
public sealed record ArithmeticStep(long Left, ArithmeticOperator Operator, long Right, long Result)
{
    /// <summary>A step whose <see cref="Result"/> is computed exactly; throws on a non-exact division
    /// or overflow (generator use only).</summary>
    public static ArithmeticStep Exact(long left, ArithmeticOperator op, long right) =>
        new(left, op, right, TryEvaluate(left, op, right, out long value)
            ? value
            : throw new ArgumentException($"{left} {Symbol(op)} {right} has no exact integer value"));

    /// <summary>True when the claimed result equals the exact value of the operation.</summary>
    public bool IsArithmeticCorrect => TryEvaluate(Left, Operator, Right, out long value) && value == Result;

    /// <summary>The text of the line, e.g. <c>12 + 7 = 19</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Left} {Symbol(Operator)} {Right} = {Result}");

    /// <summary>The operator's character.</summary>
    public static char Symbol(ArithmeticOperator op) => op switch
    {
        ArithmeticOperator.Add => '+',
        ArithmeticOperator.Subtract => '-',
        ArithmeticOperator.Multiply => '*',
        ArithmeticOperator.Divide => '/',
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown operator"),
    };

    /// <summary>Exact value of <c>left op right</c>; false on overflow, division by zero or a
    /// division with a remainder.</summary>
    public static bool TryEvaluate(long left, ArithmeticOperator op, long right, out long value)
    {
        value = 0;
        try
        {
            switch (op)
            {
                case ArithmeticOperator.Add: value = checked(left + right); return true;
                case ArithmeticOperator.Subtract: value = checked(left - right); return true;
                case ArithmeticOperator.Multiply: value = checked(left * right); return true;
                case ArithmeticOperator.Divide:
                    if (right == 0 || left % right != 0) return false;
                    value = left / right;
                    return true;
                default: return false;
            }
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    /// <summary>The inverse-check line of this step: <c>19 - 7 = 12</c> for <c>12 + 7 = 19</c>,
    /// <c>14 + 5 = 19</c> for <c>19 - 5 = 14</c>, <c>42 / 3 = 14</c> for <c>14 * 3 = 42</c>.
    /// It recomputes the left operand, a quantity already known.</summary>
    public ArithmeticStep InverseCheck() => Operator switch
    {
        ArithmeticOperator.Add => new(Result, ArithmeticOperator.Subtract, Right, Left),
        ArithmeticOperator.Subtract => new(Result, ArithmeticOperator.Add, Right, Left),
        ArithmeticOperator.Multiply => new(Result, ArithmeticOperator.Divide, Right, Left),
        ArithmeticOperator.Divide => new(Result, ArithmeticOperator.Multiply, Right, Left),
        _ => throw new InvalidOperationException($"unknown operator {Operator}"),
    };
}
