// LabCurves: training curves per design — for each metric, the per-step mean and spread over seeds,
// read back from every run's metrics.jsonl ({"step":n, "<metric>":value, ...}, MetricsWriter's format).
// Not the chart drawing (SvgLineChart) and not the metric computation (the PPO trainer).
using ReasonRL.Training;
using System.Text.Json;

namespace ReasonRL.Runs.Lab;

/// <summary>One point of a curve: a step and the mean ± spread over seeds.</summary>
public sealed record CurvePoint(long Step, double Mean, double Spread);

/// <summary>One design's curve of one metric.</summary>
public sealed record CurveSeries(string Design, string Metric, IReadOnlyList<CurvePoint> Points);

/// <summary>Reads and aggregates metrics.jsonl files.</summary>
public static class LabCurves
{
    /// <summary>The metrics the report charts, with their titles.</summary>
    public static IReadOnlyList<(string Metric, string Title)> Charted { get; } =
    [
        (MetricNames.SuccessReward, "rollout accuracy (success reward per response)"),
        (LabPpoStage.LearnedReturnMetric, "learned return (mean per response)"),
        (LabPpoStage.NecessaryLinesMetric, "necessary lines per response"),
        (LabPpoStage.UnnecessaryLinesMetric, "correct-but-unnecessary lines per response"),
        (LabPpoStage.RepeatedLinesMetric, "repeated lines per response"),
        (LabPpoStage.IncorrectLinesMetric, "incorrect lines per response"),
        (MetricNames.ResponseLength, "response length (tokens)"),
        (MetricNames.Kl, "KL to the reference"),
    ];

    /// <summary>Step → metric → value of one metrics.jsonl; malformed lines are errors naming file and line.</summary>
    public static SortedDictionary<long, Dictionary<string, double>> Read(string path)
    {
        var rows = new SortedDictionary<long, Dictionary<string, double>>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (!root.TryGetProperty("step", out var stepElement) || !stepElement.TryGetInt64(out long step))
                {
                    throw new InvalidDataException($"{path}:{lineNumber}: field \"step\" missing or not an integer");
                }
                var values = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var p in root.EnumerateObject())
                {
                    if (p.Value.ValueKind == JsonValueKind.Number) values[p.Name] = p.Value.GetDouble();
                }
                rows[step] = values;
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{lineNumber}: not a JSON object: {e.Message}", e);
            }
        }
        return rows;
    }

    /// <summary>Per-step mean and spread of <paramref name="metric"/> over the runs' metric tables
    /// (a step missing in some runs averages the runs that have it).</summary>
    public static CurveSeries Aggregate(string design, string metric, IReadOnlyList<SortedDictionary<long, Dictionary<string, double>>> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        var steps = runs.SelectMany(r => r.Keys).Distinct().Order().ToList();
        var points = new List<CurvePoint>(steps.Count);
        foreach (long step in steps)
        {
            var values = runs.Select(r => r.TryGetValue(step, out var m) && m.TryGetValue(metric, out double v) ? v : double.NaN);
            var ms = MeanSpread.Of(values);
            if (ms.Count > 0) points.Add(new CurvePoint(step, ms.Mean, ms.Spread));
        }
        return new CurveSeries(design, metric, points);
    }
}
