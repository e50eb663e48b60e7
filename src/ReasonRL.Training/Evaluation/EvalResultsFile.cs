// EvalResultsFile: durable output of `reasonrl eval`. While a run is going, each finished question is
// appended (one JSON line, flushed) to "<out>.partial"; a rerun with the same --out reads that file and
// skips the questions already done (after checking each kept line against the question at its index:
// same id and question, same mode and sample count — otherwise it stops and says to delete the file).
// At the end every record is written to <out> atomically (temp file + rename), the summary to
// "<out minus .jsonl>.summary.json" (also atomic), and the partial file is deleted. A crash never leaves
// a half-written <out>. Not the loop (EvalRunner) and not the summary maths (EvalSummary).
using ReasonRL.Core;
using ReasonRL.Data.Datasets;
using System.Text;
using System.Text.Json;

namespace ReasonRL.Training.Evaluation;

/// <summary>Resumable, atomic results files.</summary>
public sealed class EvalResultsFile : IDisposable
{
    private readonly StreamWriter _partial;

    // Readable output: '<', '>', '+', '\'' and non-ASCII stay as they are (prompts carry "<|im_start|>" and
    // LaTeX); the files are data for tools and people, never embedded in HTML.
    private static readonly EvalJsonContext Readable = new(new JsonSerializerOptions(EvalJsonContext.Default.Options)
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>The final results path.</summary>
    public string OutPath { get; }

    /// <summary>The in-progress file, <c>OutPath + ".partial"</c>.</summary>
    public string PartialPath => OutPath + ".partial";

    /// <summary>The summary path: OutPath without ".jsonl", plus ".summary.json".</summary>
    public string SummaryPath => SummaryPathFor(OutPath);

    /// <summary>Records recovered from a previous, interrupted run (in file order).</summary>
    public IReadOnlyList<EvalRecord> Resumed { get; }

    private EvalResultsFile(string outPath, IReadOnlyList<EvalRecord> resumed)
    {
        OutPath = outPath;
        Resumed = resumed;
        _partial = new StreamWriter(new FileStream(PartialPath, FileMode.Append, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
    }

    /// <summary>Summary path for a results path ("r.jsonl" → "r.summary.json").</summary>
    public static string SummaryPathFor(string outPath)
    {
        ArgumentNullException.ThrowIfNull(outPath);
        string stem = outPath.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) ? outPath[..^".jsonl".Length] : outPath;
        return stem + ".summary.json";
    }

    /// <summary>Opens the results of a run over <paramref name="problems"/>, recovering the records of an
    /// interrupted run with the same out path. Throws InvalidDataException when the partial file does
    /// not belong to this run (other data, mode or sample count), naming its path and line.</summary>
    public static EvalResultsFile Open(string outPath, IReadOnlyList<EvalProblem> problems, EvalOptions options)
    {
        ArgumentNullException.ThrowIfNull(outPath);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(options);
        string full = Path.GetFullPath(outPath);
        string? dir = Path.GetDirectoryName(full);
        if (dir is not null) Directory.CreateDirectory(dir);
        string partial = full + ".partial";
        var resumed = new List<EvalRecord>();
        if (File.Exists(partial))
        {
            var byIndex = problems.ToDictionary(p => p.Index);
            var seen = new HashSet<int>();
            long line = 0;
            foreach (var record in ReadPartialLines(partial))
            {
                line++;
                string? problem = Mismatch(record, byIndex, options);
                if (problem is not null)
                    throw new InvalidDataException($"{partial}: line {line}: {problem}; it is from a different eval run — delete it to start over");
                if (seen.Add(record.Index)) resumed.Add(record);
            }
        }
        return new EvalResultsFile(full, resumed);
    }

    // The partial file's complete lines; a torn last line (a crash mid-write) is dropped.
    private static IEnumerable<EvalRecord> ReadPartialLines(string path)
    {
        foreach (var (line, text) in JsonlFile.ReadLines(path))
        {
            EvalRecord? record;
            try
            {
                record = JsonSerializer.Deserialize(text, EvalJsonContext.Default.EvalRecord);
            }
            catch (JsonException)
            {
                record = null;   // only the torn last line can be unreadable (each line is flushed whole)
            }
            if (record is not null) yield return record;
        }
    }

    private static string? Mismatch(EvalRecord record, Dictionary<int, EvalProblem> problems, EvalOptions options)
    {
        if (!problems.TryGetValue(record.Index, out var p)) return $"question index {record.Index} is not in this data (or beyond --limit)";
        if (record.Id != p.Id || record.Question != p.Question) return $"question {record.Index} is \"{record.Id}\" there but \"{p.Id}\" in the data";
        if (record.Mode != options.Mode.ToString()) return $"mode is {record.Mode} there but {options.Mode} now";
        if (record.Responses.Count != options.SamplesPerQuestion) return $"{record.Responses.Count} responses per question there but {options.SamplesPerQuestion} now";
        return null;
    }

    /// <summary>Appends one finished record to the partial file and flushes it.</summary>
    public void Append(EvalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _partial.WriteLine(JsonSerializer.Serialize(record, Readable.EvalRecord));
        _partial.Flush();
    }

    /// <summary>Writes every record (sorted by index) to OutPath and the summary beside it, both atomically,
    /// then deletes the partial file. Returns the summary.</summary>
    public EvalSummary Complete(IEnumerable<EvalRecord> records, string mode)
    {
        ArgumentNullException.ThrowIfNull(records);
        var all = records.OrderBy(r => r.Index).ToList();
        var summary = EvalSummary.From(all, mode);
        AtomicFile.WriteAllText(OutPath, string.Concat(all.Select(r => JsonSerializer.Serialize(r, Readable.EvalRecord) + "\n")));
        AtomicFile.WriteAllText(SummaryPath, JsonSerializer.Serialize(summary, Readable.EvalSummary) + "\n");
        _partial.Dispose();
        AtomicFile.Delete(PartialPath);
        return summary;
    }

    /// <summary>Reads a finished results file.</summary>
    public static IReadOnlyList<EvalRecord> Read(string path) => [.. JsonlFile.Read(path, EvalJsonContext.Default.EvalRecord)];

    /// <summary>Closes the partial file (kept for a resume when Complete was not reached).</summary>
    public void Dispose() => _partial.Dispose();
}
