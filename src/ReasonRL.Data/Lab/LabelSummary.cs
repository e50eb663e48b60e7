// LabelSummary: aggregates of many labelled responses — the columns the lab's table prints per reward
// design (accuracy, steps per solution, unnecessary/repeated-step rate, truncation rate). Rates over
// steps are pooled (total unnecessary / total steps), not means of per-sample rates, so long
// responses weigh by their length. Not a metrics sink (Training logs these) and not a reward.
namespace ReasonRL.Data.Lab;

/// <summary>Aggregate statistics of labelled responses.</summary>
public sealed record LabelSummary
{
    /// <summary>Number of responses.</summary>
    public required int SampleCount { get; init; }

    /// <summary>Share of responses whose final answer verified Correct.</summary>
    public required double Accuracy { get; init; }

    /// <summary>Mean reasoning steps per response (final-answer line excluded).</summary>
    public required double MeanSteps { get; init; }

    /// <summary>Total Correct steps / total steps.</summary>
    public required double CorrectStepRate { get; init; }

    /// <summary>Total Unnecessary steps / total steps.</summary>
    public required double UnnecessaryStepRate { get; init; }

    /// <summary>Total Incorrect steps / total steps.</summary>
    public required double IncorrectStepRate { get; init; }

    /// <summary>Total repeated steps / total steps.</summary>
    public required double RepeatedStepRate { get; init; }

    /// <summary>Share of responses with no final-answer line.</summary>
    public required double TruncationRate { get; init; }

    /// <summary>Summarises <paramref name="samples"/>; every field is 0 for no samples.</summary>
    public static LabelSummary Of(IEnumerable<LabelledSolution> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        int n = 0, correctAnswers = 0, truncated = 0;
        long steps = 0, correct = 0, unnecessary = 0, incorrect = 0, repeated = 0;
        foreach (var s in samples)
        {
            n++;
            if (s.IsCorrect) correctAnswers++;
            if (s.IsTruncated) truncated++;
            steps += s.StepCount;
            correct += s.CorrectCount;
            unnecessary += s.UnnecessaryCount;
            incorrect += s.IncorrectCount;
            repeated += s.RepeatedStepCount;
        }
        static double Ratio(long a, long b) => b == 0 ? 0 : (double)a / b;
        return new LabelSummary
        {
            SampleCount = n,
            Accuracy = Ratio(correctAnswers, n),
            MeanSteps = Ratio(steps, n),
            CorrectStepRate = Ratio(correct, steps),
            UnnecessaryStepRate = Ratio(unnecessary, steps),
            IncorrectStepRate = Ratio(incorrect, steps),
            RepeatedStepRate = Ratio(repeated, steps),
            TruncationRate = Ratio(truncated, n),
        };
    }
}
