// NumericEvaluator: evaluates an Expr to a complex double at given variable values. Used when
// the exact path cannot decide (π, √2, sin, variables). Real branches are kept where a student
// means them: an odd root or a power p/q with odd q of a negative real is the real root
// (∛(-8) = -2, x^{2/3} = (∛x)^2). Unknown functions f(x) are replaced by a fixed smooth
// pseudo-random function of their name, so f(x) equals f(x) but not f(y) or g(x).
// Not exact and not symbolic: tolerances live in EquivalenceChecker.
using System.Numerics;

namespace ReasonRL.Verifier;

internal static class NumericEvaluator
{
    private static readonly Complex Nan = new(double.NaN, double.NaN);

    public static Complex Evaluate(Expr e, EvalMode mode, IReadOnlyDictionary<string, double> vars, Budget budget)
    {
        budget.Tick();
        switch (e)
        {
            case NumberExpr n: return n.Value.ToDouble();
            case SymbolExpr s: return vars.TryGetValue(s.Name, out var v) ? v : Nan;
            case ConstantExpr c:
                return c.Kind switch
                {
                    ConstantKind.Pi => Math.PI,
                    ConstantKind.E => Math.E,
                    ConstantKind.I => Complex.ImaginaryOne,
                    _ => double.PositiveInfinity,
                };
            case NegateExpr neg: return -Evaluate(neg.Operand, mode, vars, budget);
            case SumExpr sum:
                {
                    Complex acc = 0;
                    foreach (var t in sum.Terms) acc += Evaluate(t, mode, vars, budget);
                    return acc;
                }
            case ProductExpr p:
                {
                    Complex acc = 1;
                    foreach (var f in p.Factors) acc *= Evaluate(f, mode, vars, budget);
                    return acc;
                }
            case DivideExpr d:
                {
                    var den = Evaluate(d.Denominator, mode, vars, budget);
                    if (den == Complex.Zero) return Nan;
                    return Evaluate(d.Numerator, mode, vars, budget) / den;
                }
            case PowerExpr pw: return Power(pw, mode, vars, budget);
            case RootExpr r:
                {
                    var x = Evaluate(r.Radicand, mode, vars, budget);
                    var idx = ExactEvaluator.Evaluate(r.Index, mode, budget);
                    if (idx is { IsInteger: true } k && k.Num == 2) return Complex.Sqrt(x);
                    if (idx is { IsInteger: true } odd && !odd.Num.IsEven && IsReal(x) && x.Real < 0)
                        return -Math.Pow(-x.Real, 1.0 / (double)odd.Num);
                    var n = Evaluate(r.Index, mode, vars, budget);
                    return Complex.Pow(x, 1 / n);
                }
            case PercentExpr pc:
                {
                    var v2 = Evaluate(pc.Operand, mode, vars, budget);
                    return mode.PercentAsFraction ? v2 / 100 : v2;
                }
            case DegreeExpr dg:
                {
                    var v3 = Evaluate(dg.Operand, mode, vars, budget);
                    return mode.DegreesAsRadians ? v3 * Math.PI / 180 : v3;
                }
            case QuantityExpr q: return Evaluate(q.Value, mode, vars, budget);
            case PlusMinusExpr pm: return Evaluate(pm.Left, mode, vars, budget) + Evaluate(pm.Right, mode, vars, budget);
            case FunctionExpr f: return Function(f, mode, vars, budget);
            default: return Nan;
        }
    }

    public static bool IsReal(Complex z) => Math.Abs(z.Imaginary) <= 1e-14 * Math.Max(1, Math.Abs(z.Real));

    private static Complex Power(PowerExpr pw, EvalMode mode, IReadOnlyDictionary<string, double> vars, Budget budget)
    {
        var b = Evaluate(pw.Base, mode, vars, budget);
        var exact = ExactEvaluator.Evaluate(pw.Exponent, mode, budget);
        if (exact is { } x)
        {
            if (x.IsInteger && BigInteger.Abs(x.Num) <= 64)
            {
                int n = (int)x.Num;
                Complex acc = 1;
                for (int k = 0; k < Math.Abs(n); k++) acc *= b;
                return n >= 0 ? acc : (acc == Complex.Zero ? Nan : 1 / acc);
            }
            // Real branch for negative reals and exponents p/q with odd q.
            if (!x.Den.IsEven && IsReal(b) && b.Real < 0)
            {
                double mag = Math.Pow(-b.Real, x.ToDouble());
                return x.Num.IsEven ? mag : -mag;
            }
            if (IsReal(b) && b.Real > 0) return Math.Pow(b.Real, x.ToDouble());
        }
        var e = Evaluate(pw.Exponent, mode, vars, budget);
        if (b == Complex.Zero) return e.Real > 0 ? Complex.Zero : Nan;
        if (IsReal(b) && b.Real > 0 && IsReal(e)) return Math.Pow(b.Real, e.Real);
        return Complex.Pow(b, e);
    }

    private static Complex Function(FunctionExpr f, EvalMode mode, IReadOnlyDictionary<string, double> vars, Budget budget)
    {
        if (f.Name.StartsWith("apply:", StringComparison.Ordinal)) return Uninterpreted(f, mode, vars, budget);
        if (f.Name == "det") return Determinant(f, mode, vars, budget);
        if (f.Args.Length == 0) return Nan;
        var a = Evaluate(f.Args[0], mode, vars, budget);
        switch (f.Name)
        {
            case "sin": return Complex.Sin(a);
            case "cos": return Complex.Cos(a);
            case "tan": return Complex.Tan(a);
            case "cot": return 1 / Complex.Tan(a);
            case "sec": return 1 / Complex.Cos(a);
            case "csc": return 1 / Complex.Sin(a);
            case "arcsin": return Complex.Asin(a);
            case "arccos": return Complex.Acos(a);
            case "arctan": return Complex.Atan(a);
            case "sinh": return Complex.Sinh(a);
            case "cosh": return Complex.Cosh(a);
            case "tanh": return Complex.Tanh(a);
            case "exp": return Complex.Exp(a);
            case "ln": return Complex.Log(a);
            case "log":
                if (f.Args.Length == 2) return Complex.Log(a) / Complex.Log(Evaluate(f.Args[1], mode, vars, budget));
                return Complex.Log(a); // log without base: natural log (MATH convention varies; rare in answers)
            case "abs": return Complex.Abs(a);
            case "binom" when f.Args.Length == 2:
                {
                    // \binom{n}{k} with a symbolic n and a small integer k: n(n-1)…(n-k+1)/k!.
                    if (ExactEvaluator.Evaluate(f, mode, budget) is { } whole) return whole.ToDouble();
                    if (ExactEvaluator.Evaluate(f.Args[1], mode, budget) is not { IsInteger: true } k || k.Sign < 0 || k.Num > 64) return Nan;
                    Complex acc = 1;
                    for (int j = 0; j < (int)k.Num; j++) { budget.Tick(); acc = acc * (a - j) / (j + 1); }
                    return acc;
                }
            case "floor" or "ceil":
                {
                    if (ExactEvaluator.Evaluate(f, mode, budget) is { } rounded) return rounded.ToDouble();
                    // An inexact argument within 1e-9 of an integer could round either way: undefined, not a guess.
                    if (!IsReal(a) || !double.IsFinite(a.Real) || Math.Abs(a.Real - Math.Round(a.Real)) < 1e-9 * Math.Max(1, Math.Abs(a.Real))) return Nan;
                    return f.Name == "floor" ? Math.Floor(a.Real) : Math.Ceiling(a.Real);
                }
            case "factorial":
                if (IsReal(a) && a.Real >= 0 && a.Real <= 170 && a.Real == Math.Floor(a.Real))
                {
                    double acc = 1;
                    for (int k = 2; k <= (int)a.Real; k++) acc *= k;
                    return acc;
                }
                return Nan;
            case "max" or "min":
                {
                    double best = f.Name == "max" ? double.NegativeInfinity : double.PositiveInfinity;
                    foreach (var arg in f.Args)
                    {
                        var v = Evaluate(arg, mode, vars, budget);
                        if (!IsReal(v)) return Nan;
                        best = f.Name == "max" ? Math.Max(best, v.Real) : Math.Min(best, v.Real);
                    }
                    return best;
                }
            default:
                return ExactEvaluator.Evaluate(f, mode, budget) is { } exact ? exact.ToDouble() : Nan;
        }
    }

    /// <summary>f(x) for an unknown f: sin(αx + β) + γx with α, β, γ fixed by the name (FNV-1a), so
    /// equal names with equal arguments agree and different ones almost surely do not.</summary>
    private static Complex Uninterpreted(FunctionExpr f, EvalMode mode, IReadOnlyDictionary<string, double> vars, Budget budget)
    {
        uint h = 2166136261;
        foreach (char c in f.Name) h = (h ^ c) * 16777619;
        double alpha = 0.5 + (h & 0xFF) / 256.0, beta = ((h >> 8) & 0xFF) / 64.0, gamma = 0.25 + ((h >> 16) & 0xFF) / 512.0;
        Complex acc = 0;
        for (int k = 0; k < f.Args.Length; k++)
        {
            var x = Evaluate(f.Args[k], mode, vars, budget);
            acc += Complex.Sin(alpha * (k + 1) * x + beta) + gamma * x;
        }
        return acc;
    }

    private static Complex Determinant(FunctionExpr f, EvalMode mode, IReadOnlyDictionary<string, double> vars, Budget budget)
    {
        if (f.Args.Length != 1 || f.Args[0] is not MatrixExpr m) return Nan;
        int n = m.Rows.Length;
        if (n > 8 || m.Rows.Any(r => r.Length != n)) return Nan;
        var a = new Complex[n, n];
        for (int r = 0; r < n; r++)
            for (int c = 0; c < n; c++)
                a[r, c] = Evaluate(m.Rows[r][c], mode, vars, budget);
        Complex det = 1;
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Complex.Abs(a[r, c]) > Complex.Abs(a[pivot, c])) pivot = r;
            if (a[pivot, c] == Complex.Zero) return 0;
            if (pivot != c)
            {
                for (int k = 0; k < n; k++) (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
                det = -det;
            }
            det *= a[c, c];
            for (int r = c + 1; r < n; r++)
            {
                var factor = a[r, c] / a[c, c];
                for (int k = c; k < n; k++) a[r, k] -= factor * a[c, k];
            }
        }
        return det;
    }
}
