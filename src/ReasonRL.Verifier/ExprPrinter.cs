// ExprPrinter: canonical plain-text print of an Expr, used for VerifyResult.Normalized* and as
// the first (cheapest) equivalence test: identical prints are equal without evaluation. Numbers
// print as reduced rationals ("0.5" → "1/2"), so trivially different spellings already agree.
// Not a pretty-printer for humans and not LaTeX.
using System.Text;

namespace ReasonRL.Verifier;

internal static class ExprPrinter
{
    public static string Print(Expr e)
    {
        var sb = new StringBuilder();
        Write(e, sb, 0);
        return sb.ToString();
    }

    private static void Write(Expr e, StringBuilder sb, int depth)
    {
        if (depth > 200) { sb.Append('…'); return; }
        int d = depth + 1;
        switch (e)
        {
            case NumberExpr n: sb.Append(n.Value.ToString()); break;
            case SymbolExpr s: sb.Append(s.Name); break;
            case ConstantExpr c:
                sb.Append(c.Kind switch { ConstantKind.Pi => "pi", ConstantKind.E => "e", ConstantKind.I => "i", _ => "oo" });
                break;
            case SumExpr sum:
                sb.Append('(');
                for (int k = 0; k < sum.Terms.Length; k++)
                {
                    if (k > 0) sb.Append(sum.Terms[k] is NegateExpr ? " " : " + ");
                    Write(sum.Terms[k], sb, d);
                }
                sb.Append(')');
                break;
            case ProductExpr p:
                for (int k = 0; k < p.Factors.Length; k++)
                {
                    if (k > 0) sb.Append('*');
                    WriteAtom(p.Factors[k], sb, d);
                }
                break;
            case NegateExpr neg: sb.Append('-'); WriteAtom(neg.Operand, sb, d); break;
            case DivideExpr div: WriteAtom(div.Numerator, sb, d); sb.Append('/'); WriteAtom(div.Denominator, sb, d); break;
            case PowerExpr pw: WriteAtom(pw.Base, sb, d); sb.Append('^'); WriteAtom(pw.Exponent, sb, d); break;
            case RootExpr r:
                if (r.Index is NumberExpr { Value: { IsInteger: true } two } && two.Num == 2) sb.Append("sqrt(");
                else { sb.Append("root("); Write(r.Index, sb, d); sb.Append(", "); }
                Write(r.Radicand, sb, d);
                sb.Append(')');
                break;
            case FunctionExpr f:
                sb.Append(f.Name.StartsWith("apply:", StringComparison.Ordinal) ? f.Name[6..] : f.Name).Append('(');
                WriteList(f.Args, sb, d);
                sb.Append(')');
                break;
            case PlusMinusExpr pm: WriteAtom(pm.Left, sb, d); sb.Append(" ± "); WriteAtom(pm.Right, sb, d); break;
            case PercentExpr pc: WriteAtom(pc.Operand, sb, d); sb.Append('%'); break;
            case DegreeExpr dg: WriteAtom(dg.Operand, sb, d); sb.Append('°'); break;
            case QuantityExpr q: Write(q.Value, sb, d); break;
            case CompoundQuantityExpr cq:
                for (int k = 0; k < cq.Parts.Length; k++)
                {
                    if (k > 0) sb.Append(' ');
                    Write(cq.Parts[k], sb, d);
                    if (cq.Parts[k] is QuantityExpr q2) sb.Append(' ').Append(q2.Unit);
                }
                break;
            case TimeExpr t: sb.Append(t.Hours).Append(':').Append(t.Minutes.ToString("00", System.Globalization.CultureInfo.InvariantCulture)); break;
            case RatioExpr ra: Write(ra.Left, sb, d); sb.Append(':'); Write(ra.Right, sb, d); break;
            case CollectionExpr col:
                sb.Append(col.Kind switch { CollectionKind.Tuple => "(", CollectionKind.Set => "{", _ => "" });
                WriteList(col.Items, sb, d);
                sb.Append(col.Kind switch { CollectionKind.Tuple => ")", CollectionKind.Set => "}", _ => "" });
                break;
            case IntervalExpr iv:
                sb.Append(iv.LowClosed ? '[' : '(');
                Write(iv.Low, sb, d);
                sb.Append(", ");
                Write(iv.High, sb, d);
                sb.Append(iv.HighClosed ? ']' : ')');
                break;
            case UnionExpr u:
                for (int k = 0; k < u.Parts.Length; k++)
                {
                    if (k > 0) sb.Append(" U ");
                    Write(u.Parts[k], sb, d);
                }
                break;
            case ChoiceExpr ch:
                sb.Append('(').Append(ch.Letter).Append(')');
                if (ch.Value is not null) { sb.Append(' '); Write(ch.Value, sb, d); }
                break;
            case SetDifferenceExpr sd: WriteAtom(sd.From, sb, d); sb.Append(" \\ "); WriteAtom(sd.Removed, sb, d); break;
            case MatrixExpr m:
                sb.Append("Matrix[");
                for (int r = 0; r < m.Rows.Length; r++)
                {
                    if (r > 0) sb.Append("; ");
                    WriteList(m.Rows[r], sb, d);
                }
                sb.Append(']');
                break;
            case RelationExpr rel:
                for (int k = 0; k < rel.Operands.Length; k++)
                {
                    if (k > 0) sb.Append(' ').Append(OpText(rel.Ops[k - 1])).Append(' ');
                    Write(rel.Operands[k], sb, d);
                }
                break;
            case TextExpr tx: sb.Append('"').Append(tx.Text).Append('"'); break;
            default: sb.Append('?'); break;
        }
    }

    private static void WriteAtom(Expr e, StringBuilder sb, int depth)
    {
        bool wrap = e is ProductExpr or DivideExpr or NegateExpr or PowerExpr or PlusMinusExpr;
        if (wrap) sb.Append('(');
        Write(e, sb, depth);
        if (wrap) sb.Append(')');
    }

    private static void WriteList(Expr[] items, StringBuilder sb, int depth)
    {
        for (int k = 0; k < items.Length; k++)
        {
            if (k > 0) sb.Append(", ");
            Write(items[k], sb, depth);
        }
    }

    public static string OpText(RelationOp op) => op switch
    {
        RelationOp.Equal => "=",
        RelationOp.NotEqual => "!=",
        RelationOp.Less => "<",
        RelationOp.LessEqual => "<=",
        RelationOp.Greater => ">",
        RelationOp.GreaterEqual => ">=",
        RelationOp.Approx => "~=",
        _ => "in",
    };
}
