// TensorComparison: compares named tensors with named tolerances and renders the aligned
// "name  OK/FAIL  max-abs-diff  max-rel-diff  tolerance" table that failing tests print
// (llm.c test_gpt2.c, docs/conventions.md §7). What it is: a test/verification utility shared by the kernel,
// model and golden tests. What it is not: an assertion library (callers decide how to fail).
using System.Text;

namespace ReasonRL.Tensors;

/// <summary>A named tolerance: |a − e| ≤ Absolute + Relative·|e| element-wise.</summary>
public readonly record struct Tolerance(string Name, double Absolute, double Relative);

/// <summary>One compared tensor: the worst element and whether every element passed.</summary>
public sealed record ComparisonRow(string Name, int Count, double MaxAbsDiff, double MaxRelDiff, int WorstIndex, bool Ok, Tolerance Tolerance);

/// <summary>Collects per-tensor comparisons and renders them as a table.</summary>
public sealed class TensorComparison
{
    private readonly List<ComparisonRow> _rows = [];

    public IReadOnlyList<ComparisonRow> Rows => _rows;

    /// <summary>True when every compared tensor passed.</summary>
    public bool AllOk => _rows.All(r => r.Ok);

    /// <summary>Compares <paramref name="actual"/> to <paramref name="expected"/> element-wise.</summary>
    public ComparisonRow Add(string name, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual, Tolerance tolerance)
    {
        bool ok = expected.Length == actual.Length;
        double maxAbs = 0, maxRel = 0;
        int worst = -1;
        for (int i = 0; i < Math.Min(expected.Length, actual.Length); i++)
        {
            double e = expected[i], a = actual[i], diff = Math.Abs(a - e);
            if (double.IsNaN(diff)) diff = double.PositiveInfinity;
            double rel = diff / Math.Max(Math.Abs(e), 1e-30);
            if (worst < 0 || diff > maxAbs) { maxAbs = diff; worst = i; }
            maxRel = Math.Max(maxRel, Math.Min(rel, double.MaxValue));
            if (!(diff <= tolerance.Absolute + tolerance.Relative * Math.Abs(e))) ok = false;
        }
        var row = new ComparisonRow(name, actual.Length, maxAbs, maxRel, worst, ok, tolerance);
        _rows.Add(row);
        return row;
    }

    /// <summary>Float overload (values widened to double).</summary>
    public ComparisonRow Add(string name, ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, Tolerance tolerance) =>
        Add(name, Widen(expected), Widen(actual), tolerance);

    /// <summary>Mixed overload: double expectation (a reference), float result (a fast kernel).</summary>
    public ComparisonRow Add(string name, ReadOnlySpan<double> expected, ReadOnlySpan<float> actual, Tolerance tolerance) =>
        Add(name, expected, Widen(actual), tolerance);

    /// <summary>The aligned table of every row, failures marked.</summary>
    public string Render()
    {
        int w = Math.Max(4, _rows.Count == 0 ? 4 : _rows.Max(r => r.Name.Length));
        var sb = new StringBuilder();
        sb.AppendLine($"{"name".PadRight(w)}  ok    count  max-abs-diff  max-rel-diff  tolerance (abs + rel·|e|)");
        foreach (var r in _rows)
            sb.AppendLine($"{r.Name.PadRight(w)}  {(r.Ok ? "OK  " : "FAIL")}  {r.Count,6}  {r.MaxAbsDiff,12:E3}  {r.MaxRelDiff,12:E3}  {r.Tolerance.Name}: {r.Tolerance.Absolute:E1} + {r.Tolerance.Relative:E1}");
        return sb.ToString();
    }

    private static double[] Widen(ReadOnlySpan<float> values)
    {
        var d = new double[values.Length];
        for (int i = 0; i < d.Length; i++) d[i] = values[i];
        return d;
    }
}
