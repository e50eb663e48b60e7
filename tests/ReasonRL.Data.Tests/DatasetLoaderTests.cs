// Tests of the GSM8K and MATH loaders on the shared data (row counts, gold extraction, gzip; MATH
// rewritten into the original release's layout, as JSONL and as per-problem files) and on bad files
// written to a temp dir (each error names file, line and field, and the schema that was expected).
using ReasonRL.Data.Datasets;
using ReasonRL.Tests;
using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace ReasonRL.Data.Tests;

public sealed class DatasetLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasonrl-data-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, content, new UTF8Encoding(false));
        return path;
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void Gsm8kTestHas1319RowsWithIntegerGolds()
    {
        var rows = Gsm8kLoader.Load(SharedData.PathOf("data/gsm8k/test.jsonl"));
        Assert.Equal(1319, rows.Count);
        Assert.All(rows, r => Assert.Matches("^-?[0-9]+$", r.Gold));
        Assert.StartsWith("Janet", rows[0].Question, StringComparison.Ordinal);
        Assert.Equal("18", rows[0].Gold);
        Assert.EndsWith("#### 18", rows[0].Solution, StringComparison.Ordinal);
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void Math500HasItsSubjectCounts()
    {
        var rows = MathLoader.Load(SharedData.PathOf("data/math/test.jsonl"));
        Assert.Equal(500, rows.Count);
        var bySubject = rows.GroupBy(r => r.Subject).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(124, bySubject["Algebra"]);
        Assert.Equal(38, bySubject["Counting & Probability"]);
        Assert.All(rows, r => Assert.InRange(r.Level!.Value, 1, 5));
        Assert.Equal("\\frac{14}{3}", rows.Single(r => r.UniqueId == "test/algebra/2584.json").Answer);
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void MathTrainGzipHas12000RowsAndTwoUnknownLevels()
    {
        var rows = MathLoader.Load(SharedData.PathOf("data/math/train.jsonl.gz"));
        Assert.Equal(12000, rows.Count);
        Assert.Equal(7500, rows.Count(r => r.UniqueId!.StartsWith("train/", StringComparison.Ordinal)));
        Assert.Equal(["train/geometry/377.json", "train/geometry/471.json"], rows.Where(r => r.Level is null).Select(r => r.UniqueId!).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Some work\n#### 72", "72")]
    [InlineData("#### 1,000", "1000")]
    [InlineData("x\n#### -3 ", "-3")]
    [InlineData("x\n####5.5", "5.5")]
    [InlineData("no marker 72", null)]
    [InlineData("#### many", null)]
    public void Gsm8kGoldExtraction(string answer, string? gold) => Assert.Equal(gold, Gsm8kLoader.ExtractGold(answer));

    public static TheoryData<string, long, string?, string> BadGsm8k() => new()
    {
        { "{\"question\": \"q\", \"answer\": \"#### 1\"}\n{\"question\": \"q\"}\n", 2, "answer", "missing" },
        { "{\"question\": 5, \"answer\": \"#### 1\"}\n", 1, "question", "expected a string, found Number" },
        { "\n\n{\"question\": \"q\", \"answer\": \"no number\"}\n", 3, "answer", "#### N" },
        { "{\"question\": \"q\", \"answer\": \"#### 1\"}\n{oops\n", 2, null, "not valid JSON" },
        { "[1, 2]\n", 1, null, "expected a JSON object" },
    };

    [Theory]
    [MemberData(nameof(BadGsm8k))]
    public void BadGsm8kFilesNameFileLineAndField(string content, long line, string? field, string problem)
    {
        string path = Write("bad.jsonl", content);
        var e = Assert.Throws<DatasetFormatException>(() => Gsm8kLoader.Load(path));
        Assert.Equal((path, line, field), (e.FilePath, e.Line, e.Field));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains($"line {line}", e.Message, StringComparison.Ordinal);
    }

    private const string GoodMath = "{\"problem\": \"p\", \"solution\": \"\\\\boxed{1}\", \"answer\": \"1\", \"subject\": \"Algebra\", \"level\": 3, \"unique_id\": \"test/algebra/1.json\"}";

    public static TheoryData<string, string, string> BadMath() => new()
    {
        { GoodMath.Replace("\"level\": 3", "\"level\": \"Level 3\"", StringComparison.Ordinal), "level", "expected an integer or null, found String" },
        { GoodMath.Replace("\"level\": 3", "\"level\": 2.5", StringComparison.Ordinal), "level", "found 2.5" },
        { GoodMath.Replace("\"level\": 3", "\"level\": 9", StringComparison.Ordinal), "level", "expected 1..5 or null" },
        { GoodMath.Replace(", \"level\": 3", "", StringComparison.Ordinal), "level", "missing" },
        { GoodMath.Replace("\"answer\": \"1\", ", "", StringComparison.Ordinal), "answer", "missing" },
        { GoodMath.Replace("\"subject\": \"Algebra\"", "\"subject\": null", StringComparison.Ordinal), "subject", "found Null" },
        { GoodMath.Replace("\"unique_id\": \"test/algebra/1.json\"", "\"unique_id\": 7", StringComparison.Ordinal), "unique_id", "expected a string or null" },
    };

    [Theory]
    [MemberData(nameof(BadMath))]
    public void BadMathRowsNameTheField(string badRow, string field, string problem)
    {
        string path = Write("bad-math.jsonl", GoodMath + "\n" + badRow + "\n");
        var e = Assert.Throws<DatasetFormatException>(() => MathLoader.Load(path));
        Assert.Equal((2L, field), (e.Line, e.Field));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MathLevelNullAndMissingUniqueIdAreAccepted()
    {
        string row = GoodMath.Replace("\"level\": 3", "\"level\": null", StringComparison.Ordinal)
            .Replace(", \"unique_id\": \"test/algebra/1.json\"", "", StringComparison.Ordinal);
        var rows = MathLoader.Load(Write("ok.jsonl", row + "\r\n"));
        Assert.Null(Assert.Single(rows).Level);
        Assert.Null(rows[0].UniqueId);
    }

    [Fact]
    public void GzipFilesAreReadAndCorruptGzipIsAFormatError()
    {
        string path = Path.Combine(_dir, "ok.jsonl.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            gz.Write(Encoding.UTF8.GetBytes("{\"question\": \"q\", \"answer\": \"#### 4\"}\n"));
        }
        Assert.Equal("4", Assert.Single(Gsm8kLoader.Load(path)).Gold);

        string corrupt = Path.Combine(_dir, "corrupt.jsonl.gz");
        File.WriteAllBytes(corrupt, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef]);
        var e = Assert.Throws<DatasetFormatException>(() => Gsm8kLoader.Load(corrupt));
        Assert.Contains("gzip", e.Message, StringComparison.Ordinal);
    }

    /// <summary>A MathExample in the original MATH release's layout (the answer is not stored there).</summary>
    private static string OriginalRow(MathExample r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("problem", r.Problem);
            w.WriteString("level", r.Level is int l ? $"Level {l}" : "Level ?");
            w.WriteString("type", r.Subject);
            w.WriteString("solution", r.Solution);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [SharedDataTheory]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    [InlineData("data/math/test.jsonl")]
    [InlineData("data/math/train.jsonl.gz")]
    public void MathInTheOriginalLayoutGivesTheSameRowsAsThePrm800kLayout(string file)
    {
        // PRM800K derived its answer field from the solution's last \boxed{}: the original layout,
        // which has no answer, must reproduce every official answer, level (incl. "Level ?") and subject.
        var official = MathLoader.Load(SharedData.PathOf(file));
        string path = Write("original.jsonl", string.Join("\n", official.Select(OriginalRow)) + "\n");
        var original = MathLoader.Load(path);
        Assert.Equal(official.Count, original.Count);
        for (int i = 0; i < official.Count; i++)
            Assert.Equal(official[i] with { UniqueId = null }, original[i]);
    }

    [Fact]
    public void MathOriginalLayoutRowsAndFolders()
    {
        string rows =
            "{\"problem\": \"p1\", \"level\": \"Level 2\", \"type\": \"Number Theory\", \"solution\": \"so $\\\\boxed{\\\\frac{1}{2}}$ and \\\\boxed{x^{2}}.\"}\n" +
            "{\"problem\": \"p2\", \"level\": \"Level ?\", \"type\": \"Geometry\", \"solution\": \"thus \\\\boxed 9.\"}\n" +
            "{\"problem\": \"p3\", \"level\": 4, \"type\": \"Algebra\", \"solution\": \"\\\\fbox{\\\\{1, 2\\\\}}\"}\n";
        var loaded = MathLoader.Load(Write("orig.jsonl", rows));
        Assert.Equal(new MathExample("p1", "so $\\boxed{\\frac{1}{2}}$ and \\boxed{x^{2}}.", "x^{2}", "Number Theory", 2, null), loaded[0]);
        Assert.Equal(("9.", null, "Geometry"), (loaded[1].Answer, loaded[1].Level, loaded[1].Subject));
        Assert.Equal(("\\{1, 2\\}", 4), (loaded[2].Answer, loaded[2].Level));

        // the release's folder of per-problem files: unique_id is the relative path
        string root = Path.Combine(_dir, "MATH");
        Directory.CreateDirectory(Path.Combine(root, "train", "algebra"));
        Directory.CreateDirectory(Path.Combine(root, "test", "geometry"));
        File.WriteAllText(Path.Combine(root, "train", "algebra", "10.json"), "{\"problem\": \"a\", \"level\": \"Level 1\", \"type\": \"Algebra\", \"solution\": \"\\\\boxed{3}\"}");
        File.WriteAllText(Path.Combine(root, "test", "geometry", "7.json"), "{\n  \"problem\": \"g\",\n  \"level\": \"Level 5\",\n  \"type\": \"Geometry\",\n  \"solution\": \"\\\\boxed{\\\\pi}\"\n}");
        var folder = MathLoader.Load(root);
        Assert.Equal(["test/geometry/7.json", "train/algebra/10.json"], folder.Select(r => r.UniqueId));
        Assert.Equal(("\\pi", 5, "Geometry"), (folder[0].Answer, folder[0].Level, folder[0].Subject));
    }

    [Theory]
    [InlineData("x \\boxed{1} y \\boxed{{a}{b}}", "{a}{b}")]
    [InlineData("\\boxed{\\text{(C)}}", "\\text{(C)}")]
    [InlineData("\\boxed {7}", "7")]
    [InlineData("$\\boxed 2$", "2")]
    [InlineData("\\boxed{unbalanced", null)]
    [InlineData("no box", null)]
    public void LastBoxedContent(string solution, string? answer) => Assert.Equal(answer, MathLoader.LastBoxed(solution));

    public static TheoryData<string, string, string> BadOriginalMath() => new()
    {
        { "{\"problem\": \"p\", \"level\": \"Level 7\", \"type\": \"Algebra\", \"solution\": \"\\\\boxed{1}\"}", "level", "expected \"Level 1\"..\"Level 5\" or \"Level ?\", found \"Level 7\"" },
        { "{\"problem\": \"p\", \"level\": 3.5, \"type\": \"Algebra\", \"solution\": \"\\\\boxed{1}\"}", "level", "found 3.5" },
        { "{\"problem\": \"p\", \"type\": \"Algebra\", \"solution\": \"\\\\boxed{1}\"}", "level", "missing" },
        { "{\"problem\": \"p\", \"level\": \"Level 1\", \"type\": \"Algebra\", \"solution\": \"no box\"}", "solution", "expected a \\boxed{…} answer" },
        { "{\"level\": \"Level 1\", \"type\": \"Algebra\", \"solution\": \"\\\\boxed{1}\"}", "problem", "missing" },
    };

    [Theory]
    [MemberData(nameof(BadOriginalMath))]
    public void BadOriginalMathRowsNameTheFieldAndTheLayout(string badRow, string field, string problem)
    {
        string path = Write("bad-orig.jsonl", badRow + "\n");
        var e = Assert.Throws<DatasetFormatException>(() => MathLoader.Load(path));
        Assert.Equal((1L, field), (e.Line, e.Field));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Contains(MathLoader.OriginalSchema, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ALoaderGivenTheOtherDatasetSaysWhichSchemaItExpected()
    {
        // MATH rows into the GSM8K loader
        string math = Write("math.jsonl", GoodMath + "\n");
        var e = Assert.Throws<DatasetFormatException>(() => Gsm8kLoader.Load(math));
        Assert.Equal((1L, "question"), (e.Line, e.Field));
        Assert.Contains(Gsm8kLoader.Schema, e.Message, StringComparison.Ordinal);
        Assert.Contains("the row has fields problem, solution, answer, subject, level, unique_id", e.Message, StringComparison.Ordinal);
        // GSM8K rows into the MATH loader
        string gsm = Write("gsm.jsonl", "{\"question\": \"q\", \"answer\": \"#### 1\"}\n");
        var m = Assert.Throws<DatasetFormatException>(() => MathLoader.Load(gsm));
        Assert.Contains(MathLoader.Math500Schema, m.Message, StringComparison.Ordinal);
        Assert.Contains("the row has fields question, answer", m.Message, StringComparison.Ordinal);
        // neither MATH layout
        string other = Write("other.jsonl", "{\"prompt\": \"q\"}\n");
        var n = Assert.Throws<DatasetFormatException>(() => MathLoader.Load(other));
        Assert.Equal("subject", n.Field);
        Assert.Contains(MathLoader.Math500Schema, n.Message, StringComparison.Ordinal);
        Assert.Contains(MathLoader.OriginalSchema, n.Message, StringComparison.Ordinal);
        Assert.Contains("the row has fields prompt", n.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidUtf8IsAFormatErrorNamingTheLine()
    {
        string path = Path.Combine(_dir, "bad-utf8.jsonl");
        var bytes = Encoding.UTF8.GetBytes("{\"question\": \"q\", \"answer\": \"#### 1\"}\n{\"question\": \"").Concat(new byte[] { 0xff, 0xfe }).Concat(Encoding.UTF8.GetBytes("\", \"answer\": \"#### 1\"}\n")).ToArray();
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<DatasetFormatException>(() => Gsm8kLoader.Load(path));
        Assert.Contains("UTF-8", e.Message, StringComparison.Ordinal);
    }
}
