// LabTable: the lab's result table — one row per reward design, each column the mean and spread
// (sample standard deviation, n − 1) over seeds of a per-run figure, plus the SFT baseline row.
// Columns: held-out greedy accuracy, steps per solution, unnecessary-step rate, repeated-step rate,
// truncation rate (from each run's LabEvalSummary), and the mean learned return and KL of the last
// PPO steps. Not the report (LabReport draws it) and not the console rendering (the CLI's Spectre table).
using ReasonRL.Training;
using System.Globalization;

namespace ReasonRL.Runs.Lab;

/// <summary>Mean and spread of one figure over seeds.</summary>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="Spread">Sample standard deviation (n − 1); 0 for a single value.</param>
/// <param name="Count">Number of values.</param>
public sealed record MeanSpread(double Mean, double Spread, int Count)
{
    /// <summary>Mean and spread of <paramref name="values"/> (non-finite values are skipped); NaN mean when none remain.</summary>
    public static MeanSpread Of(IEnumerable<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var v = values.Where(double.IsFinite).ToArray();
        if (v.Length == 0) return new MeanSpread(double.NaN, double.NaN, 0);
        double mean = v.Average();
        double spread = v.Length < 2 ? 0 : Math.Sqrt(v.Sum(x => (x - mean) * (x - mean)) / (v.Length - 1));
        return new MeanSpread(mean, spread, v.Length);
    }

    /// <summary>"41.0 % ± 3.2" style text: <paramref name="percent"/> scales by 100 and adds "%".</summary>
    public string Format(bool percent, int decimals = 2)
    {
        if (Count == 0 || !double.IsFinite(Mean)) return "—";
        double scale = percent ? 100 : 1;
        string f = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        string mean = (Mean * scale).ToString(percent ? "F1" : f, CultureInfo.InvariantCulture) + (percent ? "%" : "");
        if (Count < 2) return mean;
        return mean + " ± " + (Spread * scale).ToString(percent ? "F1" : f, CultureInfo.InvariantCulture);
    }
}

/// <summary>One row of the table.</summary>
/// <param name="Design">Design name ("sft" for the baseline row).</param>
/// <param name="Label">Display label.</param>
/// <param name="Seeds">Runs aggregated.</param>
/// <param name="Accuracy">Held-out greedy accuracy.</param>
/// <param name="Steps">Reasoning lines per solution.</param>
/// <param name="UnnecessaryRate">Unnecessary lines / lines.</param>
/// <param name="RepeatedRate">Repeated lines / lines.</param>
/// <param name="TruncationRate">Share of solutions without a final answer.</param>
/// <param name="LearnedReturn">Mean learned return per response over the last PPO steps (null for the baseline).</param>
/// <param name="Kl">Mean KL to the reference over the last PPO steps (null for the baseline).</param>
/// <param name="UnnecessaryPerSolution">Unnecessary lines per solution (steps × unnecessary rate of each run; not a display column).</param>
/// <param name="IncorrectRate">Incorrect lines / lines (not a display column).</param>
public sealed record LabTableRow(string Design, string Label, int Seeds, MeanSpread Accuracy, MeanSpread Steps,
    MeanSpread UnnecessaryRate, MeanSpread RepeatedRate, MeanSpread TruncationRate, MeanSpread? LearnedReturn, MeanSpread? Kl,
    MeanSpread UnnecessaryPerSolution, MeanSpread IncorrectRate);

/// <summary>Builds the table.</summary>
public static class LabTable
{
    /// <summary>Key of the SFT baseline row.</summary>
    public const string BaselineKey = "sft";

    /// <summary>Column headers in display order.</summary>
    public static IReadOnlyList<string> Headers { get; } =
        ["design", "seeds", "accuracy", "steps/solution", "unnecessary", "repeated", "truncated", "learned return", "KL"];

    /// <summary>The baseline row followed by one row per design that has runs, in <paramref name="designs"/> order.</summary>
    public static IReadOnlyList<LabTableRow> Build(LabEvalSummary baseline, IReadOnlyList<LabDesign> designs, IReadOnlyList<LabRunResult> runs)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(designs);
        ArgumentNullException.ThrowIfNull(runs);
        var rows = new List<LabTableRow>
        {
            new(BaselineKey, "SFT policy (before RL)", 1, Single(baseline.Accuracy), Single(baseline.MeanSteps),
                Single(baseline.UnnecessaryStepRate), Single(baseline.RepeatedStepRate), Single(baseline.TruncationRate), null, null,
                Single(baseline.MeanSteps * baseline.UnnecessaryStepRate), Single(baseline.IncorrectStepRate)),
        };
        foreach (var design in designs)
        {
            string name = LabDesigns.NameOf(design);
            var mine = runs.Where(r => r.Design == name).ToList();
            if (mine.Count == 0) continue;
            rows.Add(new LabTableRow(name, LabDesigns.LabelOf(design), mine.Count,
                MeanSpread.Of(mine.Select(r => r.Eval.Accuracy)),
                MeanSpread.Of(mine.Select(r => r.Eval.MeanSteps)),
                MeanSpread.Of(mine.Select(r => r.Eval.UnnecessaryStepRate)),
                MeanSpread.Of(mine.Select(r => r.Eval.RepeatedStepRate)),
                MeanSpread.Of(mine.Select(r => r.Eval.TruncationRate)),
                MeanSpread.Of(mine.Select(r => r.LearnedReturn)),
                MeanSpread.Of(mine.Select(r => r.Kl)),
                MeanSpread.Of(mine.Select(r => r.Eval.MeanSteps * r.Eval.UnnecessaryStepRate)),
                MeanSpread.Of(mine.Select(r => r.Eval.IncorrectStepRate))));
        }
        return rows;
    }

    /// <summary>The cells of a row, matching <see cref="Headers"/>.</summary>
    public static IReadOnlyList<string> Cells(LabTableRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return
        [
            row.Label,
            row.Seeds.ToString(CultureInfo.InvariantCulture),
            row.Accuracy.Format(percent: true),
            row.Steps.Format(percent: false),
            row.UnnecessaryRate.Format(percent: true),
            row.RepeatedRate.Format(percent: true),
            row.TruncationRate.Format(percent: true),
            row.LearnedReturn?.Format(percent: false) ?? "—",
            row.Kl?.Format(percent: false, decimals: 3) ?? "—",
        ];
    }

    /// <summary>The table as aligned plain text (for logs and tests; the CLI draws a Spectre table).</summary>
    public static string ToText(IReadOnlyList<LabTableRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var cells = rows.Select(Cells).Prepend(Headers).ToList();
        var widths = Enumerable.Range(0, Headers.Count).Select(c => cells.Max(r => r[c].Length)).ToArray();
        var lines = cells.Select(r => string.Join("  ", r.Select((cell, c) => c == 0 ? cell.PadRight(widths[c]) : cell.PadLeft(widths[c]))).TrimEnd());
        return string.Join('\n', lines) + "\n";
    }

    private static MeanSpread Single(double value) => MeanSpread.Of([value]);
}
