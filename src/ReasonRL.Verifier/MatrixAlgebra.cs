// MatrixAlgebra: folds sums, products, negations and scalar multiples of literal matrices into
// one matrix whose entries are (unevaluated) expressions, so "A + B" or "I·I" written out in an
// answer compares entrywise with the gold matrix. Not a linear-algebra library: no inverse,
// no determinant (NumericEvaluator has det), shapes must agree or the expression is kept as is.
namespace ReasonRL.Verifier;

internal static class MatrixAlgebra
{
    /// <summary>The matrix an expression denotes, or the expression itself when it is not one.</summary>
    public static Expr Reduce(Expr e, int depth = 0)
    {
        if (depth > 32) return e;
        switch (e)
        {
            case NegateExpr n when Reduce(n.Operand, depth + 1) is MatrixExpr m:
                return Map(m, x => new NegateExpr(x));
            case SumExpr s:
                {
                    var terms = s.Terms.Select(t => Reduce(t, depth + 1)).ToArray();
                    if (!terms.All(t => t is MatrixExpr)) return e;
                    var first = (MatrixExpr)terms[0];
                    if (terms.Any(t => !SameShape((MatrixExpr)t, first))) return e;
                    return new MatrixExpr(first.Rows.Select((row, r) => row.Select((_, c) =>
                        (Expr)new SumExpr(terms.Select(t => ((MatrixExpr)t).Rows[r][c]).ToArray())).ToArray()).ToArray());
                }
            case ProductExpr p:
                {
                    Expr acc = Reduce(p.Factors[0], depth + 1);
                    for (int k = 1; k < p.Factors.Length; k++)
                    {
                        var f = Reduce(p.Factors[k], depth + 1);
                        acc = (acc, f) switch
                        {
                            (MatrixExpr a, MatrixExpr b) => Multiply(a, b) ?? (Expr)new ProductExpr([a, b]),
                            (MatrixExpr a, _) => Map(a, x => new ProductExpr([x, f])),
                            (_, MatrixExpr b) => Map(b, x => new ProductExpr([acc, x])),
                            _ => new ProductExpr([acc, f]),
                        };
                    }
                    return acc is MatrixExpr ? acc : e;
                }
            default:
                return e;
        }
    }

    private static bool SameShape(MatrixExpr a, MatrixExpr b) =>
        a.Rows.Length == b.Rows.Length && a.Rows.Zip(b.Rows).All(p => p.First.Length == p.Second.Length);

    private static MatrixExpr Map(MatrixExpr m, Func<Expr, Expr> f) =>
        new(m.Rows.Select(row => row.Select(f).ToArray()).ToArray());

    private static MatrixExpr? Multiply(MatrixExpr a, MatrixExpr b)
    {
        int n = a.Rows.Length, k = b.Rows.Length;
        if (a.Rows.Any(r => r.Length != k) || k == 0) return null;
        int m = b.Rows[0].Length;
        if (b.Rows.Any(r => r.Length != m)) return null;
        var rows = new Expr[n][];
        for (int i = 0; i < n; i++)
        {
            rows[i] = new Expr[m];
            for (int j = 0; j < m; j++)
                rows[i][j] = new SumExpr(Enumerable.Range(0, k).Select(t => (Expr)new ProductExpr([a.Rows[i][t], b.Rows[t][j]])).ToArray());
        }
        return new MatrixExpr(rows);
    }
}
