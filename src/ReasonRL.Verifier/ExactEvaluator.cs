// ExactEvaluator: evaluates an Expr to an exact BigRational when it is a rational number built
// from integers, decimals, + − × ÷, integer powers, perfect-power roots, |x|, n!, binom, gcd/lcm.
// Returns null for anything else (variables, π, √2, sin, overflow): the caller then falls back to
// NumericEvaluator. Size guards keep 9^{9^{9}} and 1000000! from ever being computed; every big-number
// operation charges the Budget by its operands' size (Budget.ChargeBits / ChargeProduct).
using System.Numerics;

namespace ReasonRL.Verifier;

internal static class ExactEvaluator
{
    /// <summary>Largest result size (bits of numerator + denominator) we compute exactly.</summary>
    private const long MaxBits = 65_536;

    public static BigRational? Evaluate(Expr e, EvalMode mode, Budget budget)
    {
        budget.Tick();
        switch (e)
        {
            case NumberExpr n: return n.Value;
            case NegateExpr neg: return Evaluate(neg.Operand, mode, budget) is { } nv ? -nv : null;
            case SumExpr s:
                {
                    var acc = BigRational.Zero;
                    foreach (var t in s.Terms)
                    {
                        if (Evaluate(t, mode, budget) is not { } tv) return null;
                        budget.ChargeProduct(acc.Bits, tv.Bits);
                        acc += tv;
                    }
                    return acc;
                }
            case ProductExpr p:
                {
                    var acc = BigRational.One;
                    foreach (var f in p.Factors)
                    {
                        if (Evaluate(f, mode, budget) is not { } fv) return null;
                        budget.ChargeProduct(acc.Bits, fv.Bits);
                        acc *= fv;
                        if (acc.Bits > MaxBits) return null;
                    }
                    return acc;
                }
            case DivideExpr d:
                {
                    if (Evaluate(d.Numerator, mode, budget) is not { } a) return null;
                    if (Evaluate(d.Denominator, mode, budget) is not { } b || b.IsZero) return null;
                    budget.ChargeProduct(a.Bits, b.Bits);
                    return a / b;
                }
            case PowerExpr pw: return Power(pw, mode, budget);
            case RootExpr r:
                {
                    if (Evaluate(r.Index, mode, budget) is not { IsInteger: true } idx || idx.Num > 64 || idx.Num < 1) return null;
                    if (Evaluate(r.Radicand, mode, budget) is not { } x) return null;
                    budget.ChargeProduct(x.Bits * 2, x.Bits * 2); // integer root: Newton steps on the radicand's size
                    return x.Root((int)idx.Num);
                }
            case PercentExpr pc:
                {
                    if (Evaluate(pc.Operand, mode, budget) is not { } pv) return null;
                    return mode.PercentAsFraction ? pv / BigRational.FromInt(100) : pv;
                }
            case DegreeExpr dg: return mode.DegreesAsRadians ? null : Evaluate(dg.Operand, mode, budget);
            case QuantityExpr q: return Evaluate(q.Value, mode, budget);
            case FunctionExpr f: return Function(f, mode, budget);
            default: return null;
        }
    }

    private static BigRational? Power(PowerExpr pw, EvalMode mode, Budget budget)
    {
        if (Evaluate(pw.Base, mode, budget) is not { } b) return null;
        if (Evaluate(pw.Exponent, mode, budget) is not { } x) return null;
        if (b.IsZero) return x.Sign > 0 ? BigRational.Zero : null;
        if (b.Num.IsOne && b.Den.IsOne) return BigRational.One;
        if (b == -BigRational.One && x.IsInteger) return x.Num.IsEven ? BigRational.One : b;
        // Rational exponent p/q: exact when the q-th root is exact.
        if (!x.IsInteger)
        {
            if (x.Den > 64) return null;
            budget.ChargeProduct(b.Bits * 2, b.Bits * 2);
            if (b.Root((int)x.Den) is not { } root) return null;
            b = root;
            x = new BigRational(x.Num, 1);
        }
        if (BigInteger.Abs(x.Num) > 100_000) return null;
        int n = (int)x.Num;
        if (b.Bits * (long)Math.Abs(n) > MaxBits) return null;
        // Square-and-multiply: the last squaring is of half the result's size, the ones before shrink geometrically.
        long resultBits = b.Bits * (long)Math.Abs(n);
        budget.ChargeProduct(resultBits, resultBits / 2);
        return b.Pow(n);
    }

    private static BigRational? Function(FunctionExpr f, EvalMode mode, Budget budget)
    {
        switch (f.Name)
        {
            case "abs" when f.Args.Length == 1:
                return Evaluate(f.Args[0], mode, budget) is { } v ? (v.Sign < 0 ? -v : v) : null;
            case "factorial" when f.Args.Length == 1:
                {
                    if (Evaluate(f.Args[0], mode, budget) is not { IsInteger: true } fv || fv.Sign < 0 || fv.Num > 2000) return null;
                    BigInteger acc = 1;
                    for (int k = 2; k <= (int)fv.Num; k++) { budget.ChargeBits((long)acc.GetBitLength()); acc *= k; }
                    return new BigRational(acc, 1);
                }
            case "binom" when f.Args.Length == 2:
                {
                    if (Evaluate(f.Args[0], mode, budget) is not { IsInteger: true } n) return null;
                    if (Evaluate(f.Args[1], mode, budget) is not { IsInteger: true } k) return null;
                    if (k.Sign < 0) return BigRational.Zero;
                    if (n.Sign < 0 || n.Num > 100_000) return null;
                    if (k.Num > n.Num) return BigRational.Zero;
                    int kk = (int)BigInteger.Min(k.Num, n.Num - k.Num);
                    if (kk > 5_000) return null;
                    BigInteger acc = 1;
                    for (int j = 1; j <= kk; j++) { budget.ChargeBits(6 * (long)acc.GetBitLength()); acc = acc * (n.Num - kk + j) / j; }
                    return new BigRational(acc, 1);
                }
            case "floor" or "ceil" when f.Args.Length == 1:
                {
                    if (Evaluate(f.Args[0], mode, budget) is not { } x) return null;
                    budget.ChargeProduct(x.Bits, x.Bits);
                    var q = BigInteger.DivRem(x.Num, x.Den, out var rem); // truncates toward zero
                    if (!rem.IsZero && (f.Name == "floor") == (x.Sign < 0)) q += f.Name == "floor" ? -1 : 1;
                    return new BigRational(q, 1);
                }
            case "gcd" or "lcm" when f.Args.Length >= 2:
                {
                    BigInteger acc = 0;
                    bool first = true;
                    foreach (var a in f.Args)
                    {
                        if (Evaluate(a, mode, budget) is not { IsInteger: true } gv) return null;
                        var x = BigInteger.Abs(gv.Num);
                        budget.ChargeProduct((long)acc.GetBitLength(), (long)x.GetBitLength()); // Euclid: quadratic
                        if (first) { acc = x; first = false; continue; }
                        acc = f.Name == "gcd" ? BigInteger.GreatestCommonDivisor(acc, x)
                            : (acc.IsZero || x.IsZero ? 0 : acc / BigInteger.GreatestCommonDivisor(acc, x) * x);
                    }
                    return new BigRational(acc, 1);
                }
            case "det" when f.Args.Length == 1 && f.Args[0] is MatrixExpr m && m.Rows.Length == 2 && m.Rows.All(r => r.Length == 2):
                {
                    if (Evaluate(m.Rows[0][0], mode, budget) is not { } a || Evaluate(m.Rows[0][1], mode, budget) is not { } b
                        || Evaluate(m.Rows[1][0], mode, budget) is not { } c || Evaluate(m.Rows[1][1], mode, budget) is not { } d) return null;
                    budget.ChargeProduct(a.Bits + b.Bits, c.Bits + d.Bits);
                    return a * d - b * c;
                }
            default:
                return null;
        }
    }
}
