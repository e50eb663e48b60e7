// MathLoader: reads MATH JSONL in the PRM800K math_splits schema ({"problem", "solution", "answer",
// "subject", "level" (int or null), "unique_id"}) into MathExample rows; ".gz" files are read through
// gzip. Not a grader and not an answer extractor (the "answer" field is taken as given).
// Reference: openai/prm800k math_splits; shared/data/README.md "math/".
namespace ReasonRL.Data.Datasets;

/// <summary>One MATH problem.</summary>
/// <param name="Problem">Problem statement (LaTeX).</param>
/// <param name="Solution">Worked solution ending in a \boxed{} answer.</param>
/// <param name="Answer">The gold answer (LaTeX, unnormalised), e.g. "\frac{14}{3}".</param>
/// <param name="Subject">MATH type, e.g. "Algebra".</param>
/// <param name="Level">Difficulty 1–5, or null where the source says "Level ?".</param>
/// <param name="UniqueId">Path in the original MATH release, e.g. "test/algebra/2584.json" (null when absent).</param>
public sealed record MathExample(string Problem, string Solution, string Answer, string Subject, int? Level, string? UniqueId);

/// <summary>Loader of MATH JSONL files (plain or .gz).</summary>
public static class MathLoader
{
    /// <summary>Reads every row; throws DatasetFormatException naming the file, line and field on the
    /// first row that breaks the schema. "level" must be present, an integer 1–5 or null;
    /// "unique_id" is optional.</summary>
    public static IReadOnlyList<MathExample> Load(string path)
    {
        var rows = new List<MathExample>();
        foreach (var (line, text) in JsonlFile.ReadLines(path))
        {
            var row = JsonRow.Parse(path, line, text, out var document);
            using (document)
            {
                int? level = row.RequiredIntOrNull("level");
                if (level is < 1 or > 5) throw row.Error("level", $"expected 1..5 or null, found {level}");
                rows.Add(new MathExample(
                    row.RequiredString("problem"),
                    row.RequiredString("solution"),
                    row.RequiredString("answer"),
                    row.RequiredString("subject"),
                    level,
                    row.OptionalString("unique_id")));
            }
        }
        return rows;
    }
}
