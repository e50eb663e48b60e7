// DatasetFormatException: a data file that does not match its schema. The message always names the
// file, the 1-based line and the field, and says what was expected, e.g.
// "gsm8k/test.jsonl line 17, field 'answer': expected a final line '#### N', found none".
// Not for I/O failures (those stay IOException) and not for programming errors.
namespace ReasonRL.Data.Datasets;

/// <summary>A JSONL data file broke its schema at a given line and field.</summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>Creates the exception; <see cref="Exception.Message"/> is built from the parts.</summary>
    public DatasetFormatException(string path, long line, string? field, string problem, Exception? inner = null)
        : base(Format(path, line, field, problem), inner)
    {
        FilePath = path;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file that was read.</summary>
    public string FilePath { get; }

    /// <summary>1-based line number.</summary>
    public long Line { get; }

    /// <summary>The JSON field at fault, or null when the line as a whole is (e.g. not JSON).</summary>
    public string? Field { get; }

    /// <summary>What was expected and what was found.</summary>
    public string Problem { get; }

    private static string Format(string path, long line, string? field, string problem) =>
        field is null
            ? $"{path} line {line}: {problem}"
            : $"{path} line {line}, field '{field}': {problem}";
}
