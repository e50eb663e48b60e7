// EvalProblem: one benchmark question in the form `reasonrl eval` needs (question, gold answer,
// optional MATH subject and level), and EvalProblems.Load, which reads GSM8K or MATH JSONL through
// the Data loaders (Gsm8kLoader, MathLoader: schema errors name the file, line and field) and maps
// their rows here. Not a loader of its own and not a grader.
using ReasonRL.Data.Datasets;

namespace ReasonRL.Training.Evaluation;

/// <summary>Which loader reads a data file.</summary>
public enum EvalDataFormat
{
    /// <summary>GSM8K JSONL: {"question", "answer" ending in "#### N"}.</summary>
    Gsm8k,

    /// <summary>MATH JSONL (PRM800K math_splits): {"problem", "solution", "answer", "subject", "level", "unique_id"}.</summary>
    Math,
}

/// <summary>One evaluation question.</summary>
/// <param name="Index">0-based position in the data file (rows in file order).</param>
/// <param name="Id">Stable id: MATH unique_id when present, else "&lt;format&gt;-&lt;index&gt;" (e.g. "gsm8k-17").</param>
/// <param name="Question">The problem text put into the prompt template.</param>
/// <param name="Gold">The gold answer the verifier compares against (GSM8K: the number after "####").</param>
/// <param name="Subject">MATH subject (e.g. "Algebra"), null for GSM8K.</param>
/// <param name="Level">MATH level 1–5, null for GSM8K or "Level ?".</param>
/// <param name="Solution">The reference worked solution (used only as a few-shot example).</param>
public sealed record EvalProblem(int Index, string Id, string Question, string Gold, string? Subject, int? Level, string Solution);

/// <summary>Reads evaluation problems.</summary>
public static class EvalProblems
{
    /// <summary>Parses "gsm8k" or "math" (case-insensitive).</summary>
    public static EvalDataFormat ParseFormat(string text) => text.ToLowerInvariant() switch
    {
        "gsm8k" => EvalDataFormat.Gsm8k,
        "math" => EvalDataFormat.Math,
        _ => throw new ArgumentException($"unknown data format \"{text}\"; expected gsm8k or math", nameof(text)),
    };

    /// <summary>Loads <paramref name="path"/> (JSONL, or .gz) in <paramref name="format"/>; the first
    /// <paramref name="limit"/> rows when given. Schema errors are DatasetFormatException (file, line, field).</summary>
    public static IReadOnlyList<EvalProblem> Load(string path, EvalDataFormat format, int? limit = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (limit is < 0) throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be >= 0");
        if (!File.Exists(path)) throw new FileNotFoundException($"eval: data file {path} does not exist", path);
        IEnumerable<EvalProblem> rows = format switch
        {
            EvalDataFormat.Gsm8k => Gsm8kLoader.Load(path).Select((r, i) =>
                new EvalProblem(i, $"gsm8k-{i}", r.Question, r.Gold, null, null, r.Solution)),
            EvalDataFormat.Math => MathLoader.Load(path).Select((r, i) =>
                new EvalProblem(i, r.UniqueId ?? $"math-{i}", r.Problem, r.Answer, r.Subject, r.Level, r.Solution)),
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown format"),
        };
        return [.. limit is int n ? rows.Take(n) : rows];
    }
}
