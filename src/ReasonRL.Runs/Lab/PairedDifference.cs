// PairedDifference: a comparison of two designs over the seeds both ran — the per-seed differences
// d_s = a_s − b_s (each seed pairs the same SFT policy, prompt stream and initialisation), their mean,
// sample standard deviation and the 95% Student-t confidence interval mean ± t(0.975, n − 1)·sd/√n.
// With one seed the interval is unbounded, so no claim can be established from it.
// Not the verdicts (LabFindings) and not the table's per-design spread (MeanSpread).
using System.Globalization;

namespace ReasonRL.Runs.Lab;

/// <summary>Mean of paired differences a − b with its 95% t-interval.</summary>
/// <param name="Mean">Mean difference (NaN without pairs).</param>
/// <param name="Sd">Sample standard deviation of the differences (n − 1; 0 with one pair).</param>
/// <param name="Pairs">Seeds in both designs.</param>
/// <param name="Low">Lower end of the 95% interval (−∞ with fewer than two pairs).</param>
/// <param name="High">Upper end of the 95% interval (+∞ with fewer than two pairs).</param>
public sealed record PairedDifference(double Mean, double Sd, int Pairs, double Low, double High)
{
    /// <summary>Name of the interval, as the report states it.</summary>
    public const string Method = "95% Student-t interval of the mean paired difference over seeds";

    /// <summary>The paired differences of the seeds present in both <paramref name="a"/> and <paramref name="b"/> (seed → value).</summary>
    public static PairedDifference Of(IReadOnlyDictionary<int, double> a, IReadOnlyDictionary<int, double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = a.Keys.Where(b.ContainsKey).Order().Select(s => a[s] - b[s]).Where(double.IsFinite).ToArray();
        if (d.Length == 0) return new PairedDifference(double.NaN, double.NaN, 0, double.NegativeInfinity, double.PositiveInfinity);
        double mean = d.Average();
        if (d.Length == 1) return new PairedDifference(mean, 0, 1, double.NegativeInfinity, double.PositiveInfinity);
        double sd = Math.Sqrt(d.Sum(x => (x - mean) * (x - mean)) / (d.Length - 1));
        double half = TQuantile975(d.Length - 1) * sd / Math.Sqrt(d.Length);
        return new PairedDifference(mean, sd, d.Length, mean - half, mean + half);
    }

    /// <summary>The interval lies above <paramref name="bound"/>.</summary>
    public bool Above(double bound) => Low > bound;

    /// <summary>The interval lies below <paramref name="bound"/>.</summary>
    public bool Below(double bound) => High < bound;

    /// <summary>"+2.1 [−0.4, +4.6] (n = 5)", scaled by <paramref name="scale"/> (100 for percentage points).</summary>
    public string Format(double scale = 1, string unit = "")
    {
        if (Pairs == 0) return "no paired seeds";
        string F(double x) => double.IsInfinity(x) ? (x > 0 ? "+∞" : "−∞") : (x * scale).ToString("+0.00;−0.00;0.00", CultureInfo.InvariantCulture) + unit;
        return $"{F(Mean)} [{F(Low)}, {F(High)}] (n = {Pairs.ToString(CultureInfo.InvariantCulture)})";
    }

    /// <summary>t(0.975, df): the two-sided 95% quantile of Student's t distribution (table for df ≤ 30, then the
    /// normal 1.96 approached through the usual 1/df correction, within 0.003 of the exact value).</summary>
    public static double TQuantile975(int df)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(df, 1);
        ReadOnlySpan<double> table =
        [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
            2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
            2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
        ];
        return df <= table.Length ? table[df - 1] : 1.95996 + 2.4 / df;
    }
}
