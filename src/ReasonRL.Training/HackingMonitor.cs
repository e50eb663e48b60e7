// HackingMonitor: watches for the reward-hacking signature of Gao et al.: the learned (PRM/ORM)
// return rises while the success rate falls. Keeps the last N steps of (mean learned return,
// success rate), fits least-squares slopes over the window, and warns when the learned slope is
// above +threshold while the success slope is below −threshold. Also gives the per-step Pearson
// correlation of learned return with success across the batch's samples.
// What it is not: a stopping rule; the trainer decides what to do with a warning.
// Reference: docs/reward-methods.md §4 (hacking diagnostics).
namespace ReasonRL.Training;

/// <summary>Trend report after one step.</summary>
/// <param name="LearnedSlope">Least-squares slope of the mean learned return per step over the window (NaN until 2 points).</param>
/// <param name="SuccessSlope">Same for the success rate.</param>
/// <param name="TrendCorrelation">Pearson correlation of the two series over the window (NaN if either is constant).</param>
/// <param name="Warning">True when the window is full, learned rises and success falls.</param>
public sealed record HackingReport(double LearnedSlope, double SuccessSlope, double TrendCorrelation, bool Warning);

/// <summary>Sliding-window hacking detector.</summary>
public sealed class HackingMonitor
{
    private readonly Queue<(double Learned, double Success)> window = new();

    /// <summary>Creates a monitor over <paramref name="windowSize"/> steps with slope threshold <paramref name="slopeThreshold"/> (per step).</summary>
    public HackingMonitor(int windowSize = 20, double slopeThreshold = 0.0)
    {
        if (windowSize < 3) throw new ArgumentOutOfRangeException(nameof(windowSize), windowSize, "expected ≥ 3");
        if (slopeThreshold < 0) throw new ArgumentOutOfRangeException(nameof(slopeThreshold), slopeThreshold, "expected ≥ 0");
        WindowSize = windowSize;
        SlopeThreshold = slopeThreshold;
    }

    /// <summary>N.</summary>
    public int WindowSize { get; }

    /// <summary>Minimum |slope| for a trend to count.</summary>
    public double SlopeThreshold { get; }

    /// <summary>Adds one step's batch means and reports the trend.</summary>
    public HackingReport Add(double meanLearnedReturn, double successRate)
    {
        window.Enqueue((meanLearnedReturn, successRate));
        if (window.Count > WindowSize) window.Dequeue();
        var learned = window.Select(p => p.Learned).ToArray();
        var success = window.Select(p => p.Success).ToArray();
        double ls = Slope(learned), ss = Slope(success);
        bool warn = window.Count == WindowSize && ls > SlopeThreshold && ss < -SlopeThreshold;
        return new HackingReport(ls, ss, Pearson(learned, success), warn);
    }

    /// <summary>The window's (learned, success) pairs, oldest first (checkpoint state).</summary>
    public IReadOnlyList<(double Learned, double Success)> Window => [.. window];

    /// <summary>Replaces the window (resume); keeps the newest WindowSize pairs.</summary>
    public void Restore(IEnumerable<(double Learned, double Success)> pairs)
    {
        window.Clear();
        foreach (var p in pairs) { window.Enqueue(p); if (window.Count > WindowSize) window.Dequeue(); }
    }

    /// <summary>Least-squares slope of <paramref name="y"/> against 0..n−1; NaN for fewer than 2 points.</summary>
    public static double Slope(ReadOnlySpan<double> y)
    {
        int n = y.Length;
        if (n < 2) return double.NaN;
        double xm = (n - 1) / 2.0, ym = 0;
        foreach (var v in y) ym += v;
        ym /= n;
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++) { sxy += (i - xm) * (y[i] - ym); sxx += (i - xm) * (i - xm); }
        return sxy / sxx;
    }

    /// <summary>Pearson correlation; NaN when fewer than 2 points or either series is constant.</summary>
    public static double Pearson(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        if (x.Length != y.Length) throw new ArgumentException($"Pearson: lengths {x.Length} and {y.Length} differ.");
        int n = x.Length;
        if (n < 2) return double.NaN;
        double xm = 0, ym = 0;
        for (int i = 0; i < n; i++) { xm += x[i]; ym += y[i]; }
        xm /= n; ym /= n;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < n; i++)
        {
            double dx = x[i] - xm, dy = y[i] - ym;
            sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
        }
        return sxx == 0 || syy == 0 ? double.NaN : sxy / Math.Sqrt(sxx * syy);
    }
}
