// LabDataExport: writes the lab task as JSONL for the CLI's trainers — sft.jsonl {id, prompt, response}
// (prompt = LabTask.Prompt(question), response = the SFT solution incl. its share of unnecessary
// lines), train.jsonl and test.jsonl {id, question, answer} (answer = the gold integer as text), and
// sft_test.jsonl (the test problems as SFT rows, for a held-out SFT loss). sft and train come from the
// train split (the first N problems each), test and sft_test from the held-out split.
// Each file is written atomically (JsonlFile.Write). What it is not: the generator (LabTaskGenerator).
using ReasonRL.Data.Datasets;
using ReasonRL.Data.Lab;
using ReasonRL.Training;
using System.Globalization;
using System.Text.Json.Serialization;

namespace ReasonRL.Runs;

/// <summary>One SFT row.</summary>
public sealed record SftRow(string Id, string Prompt, string Response);

/// <summary>One question row (RL prompts, evaluation).</summary>
public sealed record QuestionRow(string Id, string Question, string Answer);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(SftRow))]
[JsonSerializable(typeof(QuestionRow))]
internal sealed partial class RunsJsonContext : JsonSerializerContext;

/// <summary>Counts written by <see cref="LabDataExport.Write"/>.</summary>
public sealed record LabDataSummary(string SftPath, string TrainPath, string TestPath, string SftTestPath, int Sft, int Train, int Test);

/// <summary>Exports lab problems to JSONL.</summary>
public static class LabDataExport
{
    /// <summary>Writes sft.jsonl, train.jsonl, test.jsonl and sft_test.jsonl into <paramref name="directory"/>.</summary>
    public static LabDataSummary Write(string directory, int sftCount, int trainCount, int testCount, LabTaskOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sftCount);
        ArgumentOutOfRangeException.ThrowIfNegative(trainCount);
        ArgumentOutOfRangeException.ThrowIfNegative(testCount);
        var generator = new LabTaskGenerator(options);
        var train = generator.Generate(LabSplit.Train, Math.Max(sftCount, trainCount));
        var test = generator.Generate(LabSplit.Test, testCount);
        Directory.CreateDirectory(directory);
        string sftPath = Path.Combine(directory, "sft.jsonl"), trainPath = Path.Combine(directory, "train.jsonl"), testPath = Path.Combine(directory, "test.jsonl");
        string sftTestPath = Path.Combine(directory, "sft_test.jsonl");
        JsonlFile.Write(sftPath, train.Take(sftCount).Select(SftOf), RunsJsonContext.Default.SftRow);
        JsonlFile.Write(trainPath, train.Take(trainCount).Select(Row), RunsJsonContext.Default.QuestionRow);
        JsonlFile.Write(testPath, test.Select(Row), RunsJsonContext.Default.QuestionRow);
        JsonlFile.Write(sftTestPath, test.Select(SftOf), RunsJsonContext.Default.SftRow);
        return new LabDataSummary(sftPath, trainPath, testPath, sftTestPath, sftCount, trainCount, test.Count);
    }

    private static SftRow SftOf(ArithmeticProblem p) => new(p.Id, LabTask.Prompt(p.Question), p.SftSolution);

    private static QuestionRow Row(ArithmeticProblem p) => new(p.Id, p.Question, p.Gold.ToString(CultureInfo.InvariantCulture));
}
