// VerifierEvaluation: grades a list of labelled pairs and summarises agreement and latency —
// the library side of `reasonrl verify --cases` and of the data tests. Agreement is strict: a
// label "equal" agrees only with Correct, "not equal" only with Incorrect; Unverifiable never
// agrees (it is counted separately). Not a benchmark: timings here include JSON-free grading
// only, per call, as measured by MathVerifier itself.
namespace ReasonRL.Verifier.Evaluation;

/// <summary>One graded pair.</summary>
public sealed record GradedCase(LabelledCase Case, VerifyResult Result)
{
    public bool Agrees => Case.Label ? Result.Verdict == Verdict.Correct : Result.Verdict == Verdict.Incorrect;
}

/// <summary>Summary of an evaluation run.</summary>
public sealed record EvaluationSummary(
    int N, int Agreed, int FalsePositive, int FalseNegative, int Unverifiable,
    double PairsPerSecond, double P50Ms, double P99Ms, double MaxMs, IReadOnlyList<GradedCase> Disagreements)
{
    /// <summary>Agreed / N (0 when N is 0).</summary>
    public double Accuracy => N == 0 ? 0 : (double)Agreed / N;
}

public static class VerifierEvaluation
{
    /// <summary>Grades every case (skipping suspect ones when asked) on the calling thread.</summary>
    public static EvaluationSummary Run(IReadOnlyList<LabelledCase> cases, VerifyOptions options, bool skipSuspect = false)
    {
        var disagreements = new List<GradedCase>();
        var latencies = new List<double>(cases.Count);
        int n = 0, agreed = 0, fp = 0, fn = 0, unverifiable = 0;
        double totalSeconds = 0;
        foreach (var c in cases)
        {
            if (skipSuspect && c.Suspect) continue;
            var result = MathVerifier.Verify(c.Prediction, c.Gold, CaseModes.OptionsFor(c, options));
            var graded = new GradedCase(c, result);
            n++;
            totalSeconds += result.Elapsed.TotalSeconds;
            latencies.Add(result.Elapsed.TotalMilliseconds);
            if (result.Verdict == Verdict.Unverifiable) unverifiable++;
            else if (result.Verdict == Verdict.Correct && !c.Label) fp++;
            else if (result.Verdict == Verdict.Incorrect && c.Label) fn++;
            if (graded.Agrees) agreed++;
            else disagreements.Add(graded);
        }
        latencies.Sort();
        return new EvaluationSummary(n, agreed, fp, fn, unverifiable,
            totalSeconds > 0 ? n / totalSeconds : 0,
            Percentile(latencies, 0.50), Percentile(latencies, 0.99), latencies.Count > 0 ? latencies[^1] : 0,
            disagreements);
    }

    /// <summary>Nearest-rank percentile of sorted values (0 when empty).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return 0;
        int rank = (int)Math.Ceiling(q * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
