// MathLoader: reads MATH problems into MathExample rows, in either published layout, row by row:
//   * MATH-500 / PRM800K math_splits: {"problem", "solution", "answer", "subject", "level" (int or
//     null), "unique_id" (optional)} — the row has "subject" (or "answer" and no "type");
//   * the original MATH release (hendrycks/math; also its Hugging Face copies): {"problem",
//     "level" ("Level 1".."Level 5", "Level ?"), "type", "solution"} — the row has "type" and no
//     "subject". "type" becomes Subject; the answer is the content of the solution's last
//     \boxed{…} / \fbox{…} (or "\boxed 5"), PRM800K's rule (a given "answer" field is kept instead);
//     "Level ?" becomes null.
// Sources: a JSONL file (".gz" read through gzip), or a folder of the original release's
// per-problem JSON files (e.g. MATH/train/algebra/1.json; read recursively in ordinal path order,
// unique_id = the path relative to the folder, "train/algebra/1.json").
// Every schema error names the file, line and field, the schema(s) expected and the row's fields.
// Not a grader and not a general answer extractor (ReasonRL.Verifier extracts from model output).
// Reference: hendrycks/math (dataset layout), openai/prm800k math_splits; shared/data/README.md "math/".
namespace ReasonRL.Data.Datasets;

/// <summary>One MATH problem.</summary>
/// <param name="Problem">Problem statement (LaTeX).</param>
/// <param name="Solution">Worked solution ending in a \boxed{} answer.</param>
/// <param name="Answer">The gold answer (LaTeX, unnormalised), e.g. "\frac{14}{3}".</param>
/// <param name="Subject">MATH type, e.g. "Algebra".</param>
/// <param name="Level">Difficulty 1–5, or null where the source says "Level ?".</param>
/// <param name="UniqueId">Path in the original MATH release, e.g. "test/algebra/2584.json" (null when absent).</param>
public sealed record MathExample(string Problem, string Solution, string Answer, string Subject, int? Level, string? UniqueId);

/// <summary>Loader of MATH data: JSONL files (plain or .gz) or a folder of per-problem JSON files.</summary>
public static class MathLoader
{
    /// <summary>The MATH-500 / PRM800K layout, as error messages describe it.</summary>
    public const string Math500Schema =
        "the MATH-500 / PRM800K layout {\"problem\": string, \"solution\": string, \"answer\": string, \"subject\": string, \"level\": 1..5 or null, \"unique_id\": string (optional)}";

    /// <summary>The original MATH layout, as error messages describe it.</summary>
    public const string OriginalSchema =
        "the original MATH layout {\"problem\": string, \"level\": \"Level 1\"..\"Level 5\" or \"Level ?\", \"type\": string, \"solution\": string with a \\boxed{} answer}";

    /// <summary>Reads every row of a JSONL file, or every *.json file under a folder; throws
    /// DatasetFormatException naming the file, line and field on the first row that breaks its layout.</summary>
    public static IReadOnlyList<MathExample> Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var rows = new List<MathExample>();
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*.json", SearchOption.AllDirectories)
                .Select(f => (File: f, Id: System.IO.Path.GetRelativePath(path, f).Replace('\\', '/')))
                .OrderBy(f => f.Id, StringComparer.Ordinal);
            foreach (var (file, id) in files)
                rows.Add(ReadRow(file, 1, File.ReadAllText(file), id));
            return rows;
        }
        foreach (var (line, text) in JsonlFile.ReadLines(path))
            rows.Add(ReadRow(path, line, text, uniqueId: null));
        return rows;
    }

    private static MathExample ReadRow(string path, long line, string text, string? uniqueId)
    {
        var parsed = JsonRow.Parse(path, line, text, out var document);
        using (document)
        {
            bool original = !parsed.HasKey("subject") && parsed.HasKey("type");
            bool math500 = parsed.HasKey("subject") || parsed.HasKey("answer");
            if (!original && !math500)
                throw parsed.WithSchema($"{Math500Schema} or {OriginalSchema}").Error("subject",
                    "missing: neither \"subject\" (MATH-500 layout) nor \"type\" (original MATH layout) is present");
            return original ? ReadOriginal(parsed.WithSchema(OriginalSchema), uniqueId) : ReadMath500(parsed.WithSchema(Math500Schema), uniqueId);
        }
    }

    private static MathExample ReadMath500(JsonRow row, string? uniqueId)
    {
        int? level = row.RequiredIntOrNull("level");
        if (level is < 1 or > 5) throw row.Error("level", $"expected 1..5 or null, found {level}");
        return new MathExample(
            row.RequiredString("problem"),
            row.RequiredString("solution"),
            row.RequiredString("answer"),
            row.RequiredString("subject"),
            level,
            row.OptionalString("unique_id") ?? uniqueId);
    }

    private static MathExample ReadOriginal(JsonRow row, string? uniqueId)
    {
        string problem = row.RequiredString("problem");
        int? level = OriginalLevel(row);
        string subject = row.RequiredString("type");
        string solution = row.RequiredString("solution");
        string answer = row.OptionalString("answer") ?? LastBoxed(solution)
            ?? throw row.Error("solution", "expected a \\boxed{…} answer (the original layout has no \"answer\" field), found none");
        return new MathExample(problem, solution, answer, subject, level, row.OptionalString("unique_id") ?? uniqueId);
    }

    /// <summary>"Level 3" → 3, "Level ?" → null (two geometry problems of the release); an integer 1..5 is accepted too.</summary>
    private static int? OriginalLevel(JsonRow row)
    {
        const string Expected = "expected \"Level 1\"..\"Level 5\" or \"Level ?\"";
        if (!row.HasKey("level")) throw row.Error("level", $"missing ({Expected})");
        var e = row.Root.GetProperty("level");
        if (e.ValueKind == System.Text.Json.JsonValueKind.Number)
            return e.TryGetInt32(out int n) && n is >= 1 and <= 5 ? n : throw row.Error("level", $"{Expected} or an integer 1..5, found {e.GetRawText()}");
        string? text = e.ValueKind == System.Text.Json.JsonValueKind.String ? e.GetString() : null;
        if (text == "Level ?") return null;
        if (text is { Length: 7 } && text.StartsWith("Level ", StringComparison.Ordinal) && text[6] is >= '1' and <= '5') return text[6] - '0';
        throw row.Error("level", $"{Expected}, found {(text is null ? e.ValueKind.ToString() : $"\"{text}\"")}");
    }

    /// <summary>
    /// The content of the last \boxed{…} or \fbox{…} in <paramref name="solution"/> (braces matched,
    /// escaped braces \{ \} skipped), or for "\boxed 5" the next run of non-space characters; null
    /// when there is none. PRM800K's rule for the answer field (500/500 MATH500 rows reproduce it).
    /// </summary>
    public static string? LastBoxed(string solution)
    {
        ArgumentNullException.ThrowIfNull(solution);
        int boxed = solution.LastIndexOf("\\boxed", StringComparison.Ordinal), fbox = solution.LastIndexOf("\\fbox", StringComparison.Ordinal);
        int at = Math.Max(boxed, fbox);
        if (at < 0) return null;
        int i = at + (at == boxed ? "\\boxed".Length : "\\fbox".Length);
        while (i < solution.Length && solution[i] == ' ') i++;
        if (i < solution.Length && solution[i] == '{')
        {
            int depth = 0;
            for (int j = i; j < solution.Length; j++)
            {
                char c = solution[j];
                if (c == '\\') { j++; continue; }   // \{, \}, \\ do not count
                if (c == '{') depth++;
                else if (c == '}' && --depth == 0) return solution[(i + 1)..j];
            }
            return null;   // unbalanced
        }
        int end = i;
        while (end < solution.Length && !char.IsWhiteSpace(solution[end]) && solution[end] != '$') end++;
        return end > i ? solution[i..end] : null;
    }
}
