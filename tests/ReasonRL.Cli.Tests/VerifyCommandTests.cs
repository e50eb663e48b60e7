// `reasonrl verify` and `reasonrl bench verify` end to end through System.CommandLine, with the
// output captured by the invocation configuration (no global Console redirection).
using ReasonRL.Cli.Commands;
using ReasonRL.Tests;
using System.CommandLine;
using System.Text.Json;

namespace ReasonRL.Cli.Tests;

public class VerifyCommandTests
{
    private static (int Code, string Out, string Err) Run(Command command, params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(command);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [Fact]
    public void SinglePairPrintsVerdictExtractionAndNormalForms()
    {
        var (code, output, _) = Run(VerifyCommand.Create(), "verify", "--pred", "so the answer is \\boxed{\\dfrac{1}{2}}", "--gold", "0.5");
        Assert.Equal(0, code);
        Assert.Contains("verdict: Correct", output);
        Assert.Contains("\\dfrac{1}{2}", output);
        Assert.Contains("1/2", output);
        Assert.Matches(@"work: [1-9][0-9]* of 200000 steps", output);
    }

    [Fact]
    public void SinglePairJson()
    {
        var (code, output, _) = Run(VerifyCommand.Create(), "verify", "--pred", "3 hours 20 minutes", "--gold", "3", "--json");
        Assert.Equal(0, code);
        using var doc = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.Equal("Incorrect", doc.RootElement.GetProperty("verdict").GetString());
        Assert.True(doc.RootElement.GetProperty("work_steps").GetInt64() > 0);
    }

    [Theory]
    [InlineData("--no-labelled-answers", "m+n = 9", "9", "Correct", "Incorrect")]
    [InlineData("--no-number-words", "The answer is twenty-one.", "21", "Correct", "Incorrect")]
    [InlineData("--no-multiple-choice", "\\textbf{(C) }15", "C", "Correct", "Incorrect")]
    [InlineData("--no-set-relations", "-2 \\le x \\le 7", "x \\in [-2,7]", "Correct", "Incorrect")]
    [InlineData("--no-last-number", "we get 16 and then 18 cookies", "18", "Correct", "Incorrect")]
    [InlineData("--ordered-lists", "10, 4, -2", "4, 10, -2", "Correct", "Incorrect")]
    [InlineData("--no-strict", "f(y)", "f(x)", "Incorrect", "Correct")]
    [InlineData("--decimal-rounding 4", "0.3333", "\\frac{1}{3}", "Incorrect", "Correct")]
    [InlineData("--percent Fraction", "50\\%", "50", "Correct", "Incorrect")]
    [InlineData("--percent Number", "50\\%", "0.5", "Correct", "Incorrect")]
    public void EachConventionFlagFlipsItsPair(string flag, string prediction, string gold, string byDefault, string withFlag)
    {
        string[] pair = ["verify", "--pred", prediction, "--gold", gold, "--json"];
        Assert.Equal(byDefault, VerdictOf(pair));
        Assert.Equal(withFlag, VerdictOf([.. pair, .. flag.Split(' ')]));
    }

    [Theory]
    [InlineData("16")]
    [InlineData("-1")]
    public void DecimalRoundingOutOfRangeIsAOneLineError(string places)
    {
        var (code, output, err) = Run(VerifyCommand.Create(), "verify", "--pred", "1", "--gold", "1", "--decimal-rounding", places);
        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"verify: --decimal-rounding {places}; expected an integer in [0, 15]", err.Trim());
    }

    private static string? VerdictOf(params string[] args)
    {
        var (code, output, err) = Run(VerifyCommand.Create(), args);
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        return doc.RootElement.GetProperty("verdict").GetString();
    }

    [Fact]
    public void MissingArgumentsIsAnError()
    {
        var (code, _, err) = Run(VerifyCommand.Create(), "verify", "--pred", "1");
        Assert.Equal(2, code);
        Assert.Contains("--gold", err);
    }

    [Fact]
    public void CasesFileWithStringLabelsAndCustomFields()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reasonrl-verify-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path,
        [
            "{\"p\": \"\\\\boxed{4}\", \"g\": \"4\", \"ok\": \"True\"}",
            "{\"p\": \"The answer is 5\", \"g\": \"4\", \"ok\": \"False\"}",
            "{\"p\": \"#### 7\", \"g\": \"8\", \"ok\": true}",
        ]);
        try
        {
            var (code, output, _) = Run(VerifyCommand.Create(), "verify", "--cases", path, "--pred-field", "p", "--gold-field", "g", "--label-field", "ok", "--json");
            Assert.Equal(0, code);
            Assert.Contains("[line3]", output); // the one disagreement is printed
            using var doc = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
            var s = doc.RootElement;
            foreach (var key in new[] { "n", "accuracy", "false_positive", "false_negative", "unverifiable", "pairs_per_second", "p50_ms", "p99_ms", "max_ms" })
                Assert.True(s.TryGetProperty(key, out _), key);
            Assert.Equal(3, s.GetProperty("n").GetInt32());
            Assert.Equal(2.0 / 3, s.GetProperty("accuracy").GetDouble(), 9);
            Assert.Equal(1, s.GetProperty("false_negative").GetInt32());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void MalformedCasesFileNamesFileLineAndField()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reasonrl-verify-{Guid.NewGuid():N}.jsonl");
        File.WriteAllLines(path, ["{\"pred\": \"1\", \"gold\": \"1\"}"]);
        try
        {
            var (code, _, err) = Run(VerifyCommand.Create(), "verify", "--cases", path);
            Assert.Equal(2, code);
            Assert.Contains(":1:", err);
            Assert.Contains("equal", err);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void BenchVerifyReportsThroughputBesideTheReference()
    {
        var (code, output, _) = Run(BenchCommand.Create(), "bench", "verify", "--file", SharedData.PathOf("verifier-eval/real2000.jsonl"), "--seconds", "0.2", "--fuzz", "50");
        Assert.Equal(0, code);
        Assert.Contains("pairs/s", output);
        Assert.Contains("475", output);
        Assert.Contains("fuzz: calls=50", output);
        Assert.Contains("work_budget=200000", output);
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void BenchVerifyWorkBudgetOptionStarvesEveryCall()
    {
        // One step cannot even cover extracting both strings: every fuzz call is stopped by the work budget.
        var (code, output, _) = Run(BenchCommand.Create(), "bench", "verify", "--file", SharedData.PathOf("verifier-eval/real2000.jsonl"),
            "--seconds", "0.1", "--fuzz", "30", "--work-budget", "1");
        Assert.Equal(0, code);
        Assert.Contains("unverifiable=30", output);
        Assert.Contains("work_budget=1 work_exhausted=30 backstop_hits=0", output);
    }
}
