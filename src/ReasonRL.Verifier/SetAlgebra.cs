// SetAlgebra: the normal form of a set of real numbers written with intervals, finite sets,
// unions, differences, \mathbb{R} and the empty set: a sorted list of disjoint segments with
// exact rational (or infinite) ends, where touching or overlapping parts are merged
// ([0,2] ∪ [1,4] → [0,4]; {1,5} ∪ {3} → {1,3,5}; ℝ \ {2} → (-∞,2) ∪ (2,∞)). Two sets with equal
// normal forms are equal. Only exact ends are accepted (an end like √2 gives no normal form and the
// caller keeps its part-by-part comparison), so the normal form never decides by rounding.
// Not a parser and not a comparer of anything but sets of reals; budget-charged per part.
namespace ReasonRL.Verifier;

/// <summary>An end of a segment: a rational, or -∞ (Infinite = -1) / +∞ (Infinite = +1).</summary>
internal readonly record struct SetBound(BigRational Value, int Infinite)
{
    public static int Compare(SetBound a, SetBound b)
    {
        if (a.Infinite != 0 || b.Infinite != 0) return a.Infinite.CompareTo(b.Infinite);
        return (a.Value - b.Value).Sign;
    }
}

/// <summary>One segment of a normal form; a point is [v, v].</summary>
internal readonly record struct SetSegment(SetBound Low, bool LowClosed, SetBound High, bool HighClosed);

internal static class SetAlgebra
{
    private const int MaxSegments = 256;

    /// <summary>True for the written forms that denote a set of reals as a whole (not a list of answers).</summary>
    public static bool IsSetNotation(Expr e) => e is IntervalExpr or UnionExpr or SetDifferenceExpr;

    /// <summary>The normal form of <paramref name="e"/>, or null when it is not a set of reals with exact ends.
    /// <paramref name="pairIsInterval"/>: a lone (a, b) is the open interval, as inside a union (else it is a point).</summary>
    public static List<SetSegment>? Normalize(Expr e, Budget budget, bool pairIsInterval = false) =>
        Merge(Segments(e, budget, 0, top: !pairIsInterval), budget);

    /// <summary>True when both normal forms are the same list of segments.</summary>
    public static bool SameSet(List<SetSegment> a, List<SetSegment> b)
    {
        if (a.Count != b.Count) return false;
        for (int k = 0; k < a.Count; k++)
        {
            if (a[k].LowClosed != b[k].LowClosed || a[k].HighClosed != b[k].HighClosed) return false;
            if (SetBound.Compare(a[k].Low, b[k].Low) != 0 || SetBound.Compare(a[k].High, b[k].High) != 0) return false;
        }
        return true;
    }

    private static List<SetSegment>? Segments(Expr e, Budget budget, int depth, bool top)
    {
        budget.Tick();
        if (depth > 16) return null;
        switch (e)
        {
            case IntervalExpr iv:
                {
                    if (Bound(iv.Low, budget) is not { } lo || Bound(iv.High, budget) is not { } hi) return null;
                    return [new SetSegment(lo, iv.LowClosed && lo.Infinite == 0, hi, iv.HighClosed && hi.Infinite == 0)];
                }
            // Inside a union, (a, b) is the open interval (the public graders' reading); alone it is a point,
            // unless an end is infinite ((-∞, ∞), (2, ∞)).
            case CollectionExpr { Kind: CollectionKind.Tuple, Items: [var a, var b] } when !top || IsOpenRay(e):
                return Segments(new IntervalExpr(a, b, false, false), budget, depth + 1, top: false);
            case CollectionExpr { Kind: CollectionKind.Set or CollectionKind.AnswerList } c:
                {
                    if (c.Items.Length > MaxSegments) return null;
                    var points = new List<SetSegment>(c.Items.Length);
                    foreach (var item in c.Items)
                    {
                        if (Bound(item, budget) is not { Infinite: 0 } v) return null;
                        points.Add(new SetSegment(v, true, v, true));
                    }
                    return points;
                }
            case UnionExpr u:
                {
                    var all = new List<SetSegment>();
                    foreach (var part in u.Parts)
                    {
                        if (Segments(part, budget, depth + 1, top: false) is not { } p) return null;
                        all.AddRange(p);
                        if (all.Count > MaxSegments) return null;
                    }
                    return all;
                }
            case SetDifferenceExpr diff:
                {
                    if (Merge(Segments(diff.From, budget, depth + 1, top: false), budget) is not { } from) return null;
                    if (Segments(diff.Removed, budget, depth + 1, top: false) is not { } removed) return null;
                    foreach (var r in removed) from = Subtract(from, r, budget);
                    return from;
                }
            default:
                return null;
        }
    }

    /// <summary>(a, b) with an infinite end: an open interval, never a point.</summary>
    public static bool IsOpenRay(Expr e) => e is CollectionExpr { Kind: CollectionKind.Tuple, Items: [var a, var b] }
        && (IsInfinity(a) || IsInfinity(b));

    private static bool IsInfinity(Expr e) => e is ConstantExpr { Kind: ConstantKind.Infinity } or NegateExpr { Operand: ConstantExpr { Kind: ConstantKind.Infinity } };

    private static SetBound? Bound(Expr e, Budget budget)
    {
        if (e is ConstantExpr { Kind: ConstantKind.Infinity }) return new SetBound(BigRational.Zero, 1);
        if (e is NegateExpr { Operand: ConstantExpr { Kind: ConstantKind.Infinity } }) return new SetBound(BigRational.Zero, -1);
        return ExactEvaluator.Evaluate(e, EvalMode.Plain, budget) is { } v ? new SetBound(v, 0) : null;
    }

    private static bool IsEmpty(SetSegment s)
    {
        int c = SetBound.Compare(s.Low, s.High);
        return c > 0 || (c == 0 && !(s.LowClosed && s.HighClosed));
    }

    /// <summary>Sorted, disjoint, non-touching segments (null in, null out).</summary>
    private static List<SetSegment>? Merge(List<SetSegment>? parts, Budget budget)
    {
        if (parts is null || parts.Count > MaxSegments) return null;
        var live = parts.Where(p => !IsEmpty(p)).ToList();
        budget.Charge(live.Count * 4L);
        live.Sort((x, y) =>
        {
            int c = SetBound.Compare(x.Low, y.Low);
            return c != 0 ? c : (y.LowClosed ? 1 : 0) - (x.LowClosed ? 1 : 0);
        });
        var merged = new List<SetSegment>();
        foreach (var s in live)
        {
            if (merged.Count > 0)
            {
                var last = merged[^1];
                int c = SetBound.Compare(s.Low, last.High);
                if (c < 0 || (c == 0 && (last.HighClosed || s.LowClosed)))
                {
                    int h = SetBound.Compare(s.High, last.High);
                    merged[^1] = h > 0 ? last with { High = s.High, HighClosed = s.HighClosed }
                        : h == 0 ? last with { HighClosed = last.HighClosed || s.HighClosed } : last;
                    continue;
                }
            }
            merged.Add(s);
        }
        return merged;
    }

    /// <summary>Every segment of <paramref name="from"/> with <paramref name="cut"/> removed.</summary>
    private static List<SetSegment> Subtract(List<SetSegment> from, SetSegment cut, Budget budget)
    {
        var result = new List<SetSegment>(from.Count + 1);
        foreach (var s in from)
        {
            budget.Tick();
            // The part of s below the cut: [s.Low, cut.Low), then the part above: (cut.High, s.High].
            var below = s with { High = Min(s.High, cut.Low, out bool lowIsCut), HighClosed = lowIsCut ? !cut.LowClosed && s.HighClosed || (!cut.LowClosed && SetBound.Compare(s.High, cut.Low) > 0) : s.HighClosed };
            var above = s with { Low = Max(s.Low, cut.High, out bool highIsCut), LowClosed = highIsCut ? !cut.HighClosed && (s.LowClosed || SetBound.Compare(s.Low, cut.High) < 0) : s.LowClosed };
            if (!IsEmpty(below)) result.Add(below);
            if (!IsEmpty(above)) result.Add(above);
        }
        return result;
    }

    /// <summary>The smaller end; <paramref name="second"/> tells whether b was taken (ties take b).</summary>
    private static SetBound Min(SetBound a, SetBound b, out bool second)
    {
        second = SetBound.Compare(b, a) <= 0;
        return second ? b : a;
    }

    private static SetBound Max(SetBound a, SetBound b, out bool second)
    {
        second = SetBound.Compare(b, a) >= 0;
        return second ? b : a;
    }
}
