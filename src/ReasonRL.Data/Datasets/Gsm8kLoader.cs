// Gsm8kLoader: reads GSM8K JSONL ({"question", "answer"}, the answer's last line "#### N") into
// Gsm8kExample rows with the gold number extracted (commas stripped: "#### 1,000" → "1000").
// Schema errors name the file, line and field, the schema expected and the fields the row has (so a
// MATH file passed as GSM8K says so). Not a grader (ReasonRL.Verifier.MathVerifier compares
// answers) and not a prompt builder.
// Reference: openai/grade-school-math, data format in shared/data/README.md "gsm8k/".
using System.Text.RegularExpressions;

namespace ReasonRL.Data.Datasets;

/// <summary>One GSM8K problem.</summary>
/// <param name="Question">The word problem.</param>
/// <param name="Solution">The worked solution, the "#### N" line included.</param>
/// <param name="Gold">The number after "####", commas removed, e.g. "72" or "-3".</param>
public sealed record Gsm8kExample(string Question, string Solution, string Gold);

/// <summary>Loader of GSM8K JSONL files (plain or .gz).</summary>
public static partial class Gsm8kLoader
{
    /// <summary>The GSM8K layout, as error messages describe it.</summary>
    public const string Schema = "the GSM8K layout {\"question\": string, \"answer\": string whose last line is \"#### N\"}";

    // The final "#### N" line: N is an integer or decimal with optional sign and thousands commas.
    [GeneratedRegex(@"####\s*(?<n>[-+]?[0-9][0-9,]*(\.[0-9]+)?)\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex GoldRegex();

    /// <summary>Reads every row; throws DatasetFormatException naming the file, line and field on the
    /// first row that breaks the schema.</summary>
    public static IReadOnlyList<Gsm8kExample> Load(string path)
    {
        var rows = new List<Gsm8kExample>();
        foreach (var (line, text) in JsonlFile.ReadLines(path))
        {
            var row = JsonRow.Parse(path, line, text, out var document).WithSchema(Schema);
            using (document)
            {
                string question = row.RequiredString("question");
                string answer = row.RequiredString("answer");
                rows.Add(new Gsm8kExample(question, answer, ExtractGold(answer)
                    ?? throw row.Error("answer", "expected a final line '#### N' with a number N, found none")));
            }
        }
        return rows;
    }

    /// <summary>The gold number of a GSM8K answer ("#### 1,000" → "1000"), or null when absent.</summary>
    public static string? ExtractGold(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var m = GoldRegex().Match(answer);
        return m.Success ? m.Groups["n"].Value.Replace(",", "", StringComparison.Ordinal).TrimStart('+') : null;
    }
}
