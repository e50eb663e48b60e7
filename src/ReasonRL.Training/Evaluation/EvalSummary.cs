// EvalSummary: the figures of an eval run computed from its per-question records alone (so the table
// always agrees with the JSONL): accuracy = mean question score, overall and per MATH subject and level,
// plus response statistics (mean tokens, truncation rate, share of responses with an extracted answer,
// unverifiable verdicts). Not a printer: the CLI renders it as a table; it is also written as JSON.
namespace ReasonRL.Training.Evaluation;

/// <summary>Accuracy over one group of questions.</summary>
/// <param name="Name">"overall", a subject name, or "Level n" / "Level ?".</param>
/// <param name="Questions">Questions in the group.</param>
/// <param name="ScoreSum">Sum of the questions' scores (for 1/0 scores: the number correct).</param>
public sealed record EvalGroup(string Name, int Questions, double ScoreSum)
{
    /// <summary>ScoreSum / Questions (0 for an empty group).</summary>
    public double Accuracy => Questions == 0 ? 0 : ScoreSum / Questions;
}

/// <summary>Summary of an eval run.</summary>
/// <param name="Mode">The scoring rule, e.g. "maj@8".</param>
/// <param name="Overall">Every question.</param>
/// <param name="Subjects">Per MATH subject (ordinal name order); empty for GSM8K.</param>
/// <param name="Levels">Per MATH level (1..5, then "Level ?"); empty for GSM8K.</param>
/// <param name="Responses">Responses generated.</param>
/// <param name="MeanResponseTokens">Mean generated tokens per response.</param>
/// <param name="TruncationRate">Share of responses that hit the token limit.</param>
/// <param name="AnswerRate">Share of responses with an extracted answer.</param>
/// <param name="UnverifiableRate">Share of responses the verifier could not decide.</param>
/// <param name="ResponseAccuracy">Share of all responses graded correct (for sampled modes: the mean per-sample accuracy).</param>
public sealed record EvalSummary(string Mode, EvalGroup Overall, IReadOnlyList<EvalGroup> Subjects, IReadOnlyList<EvalGroup> Levels,
    int Responses, double MeanResponseTokens, double TruncationRate, double AnswerRate, double UnverifiableRate, double ResponseAccuracy)
{
    /// <summary>Level group name: "Level 3", or "Level ?" for an unknown level.</summary>
    public static string LevelName(int? level) => level is int l ? $"Level {l}" : "Level ?";

    /// <summary>Computes the summary of <paramref name="records"/> (all of one mode).</summary>
    public static EvalSummary From(IReadOnlyList<EvalRecord> records, string mode)
    {
        ArgumentNullException.ThrowIfNull(records);
        var overall = new EvalGroup("overall", records.Count, records.Sum(r => r.Score));
        var subjects = records.Where(r => r.Subject is not null).GroupBy(r => r.Subject!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new EvalGroup(g.Key, g.Count(), g.Sum(r => r.Score))).ToList();
        // levels only where the data has subjects (MATH); GSM8K rows carry neither
        var levels = records.Where(r => r.Subject is not null).GroupBy(r => r.Level)
            .OrderBy(g => g.Key ?? int.MaxValue)
            .Select(g => new EvalGroup(LevelName(g.Key), g.Count(), g.Sum(r => r.Score))).ToList();
        var responses = records.SelectMany(r => r.Responses).ToList();
        int n = responses.Count;
        double Share(Func<EvalResponse, bool> f) => n == 0 ? 0 : (double)responses.Count(f) / n;
        return new EvalSummary(mode, overall, subjects, levels, n,
            n == 0 ? 0 : responses.Average(r => (double)r.Tokens),
            Share(r => r.Finish == "length"),
            Share(r => r.Answer is not null),
            Share(r => r.Verdict == EvalResponse.VerdictUnverifiable),
            Share(r => r.IsCorrect));
    }
}
