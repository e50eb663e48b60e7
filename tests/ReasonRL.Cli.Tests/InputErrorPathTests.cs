// The CLI's one error path (issue 17): every command that reads a user's file, given a bad one, prints
// exactly one line on stderr naming the file and the field, exits with code 2, and shows no stack
// trace unless --verbose is given. Runs through CliRunner, the same entry point as the executable.
// Commands without an input file (lab, data lab, bench engine without --anchors, bench generate)
// have no typed input error to report and are not listed.
using ReasonRL.Runs;

namespace ReasonRL.Cli.Tests;

public sealed class InputErrorPathTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"reasonrl-input-errors-{Guid.NewGuid():N}");

    public InputErrorPathTests()
    {
        Directory.CreateDirectory(_dir);
        // A model folder whose config.json names a model_type the engine does not implement (the example).
        string model = Path.Combine(_dir, "model");
        Directory.CreateDirectory(model);
        File.WriteAllText(Path.Combine(model, "config.json"), """
            {"model_type": "mistral", "vocab_size": 96, "hidden_size": 16, "intermediate_size": 32,
             "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2}
            """);
        File.WriteAllText(Path.Combine(model, "tokenizer.json"), """{"model": {"type": "BPE", "vocab": {"a": 0}, "merges": []}}""");
        // A tokenizer.json whose single vocabulary id would size a two-billion-entry table.
        File.WriteAllText(Path.Combine(_dir, "hostile-tokenizer.json"), """{"model": {"type": "BPE", "vocab": {"a": 2000000000}, "merges": []}}""");
        File.WriteAllText(Path.Combine(_dir, "bad.yaml"), "bogus_key: 1\n");
        File.WriteAllText(Path.Combine(_dir, "no-question.jsonl"), """{"answer": "#### 4"}""" + "\n");
        File.WriteAllText(Path.Combine(_dir, "no-response.jsonl"), """{"question": "1+1?", "correct": true}""" + "\n");
        string run = Path.Combine(_dir, "run");
        Directory.CreateDirectory(run);
        File.WriteAllText(Path.Combine(run, RunFolder.KindFileName), "sft\n");
        File.WriteAllText(Path.Combine(run, RunFolder.ConfigFileName), "bogus_key: 1\n");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string P(string name) => Path.Combine(_dir, name);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CliRunner.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public static TheoryData<string, string[], string, string> Cases() => new()
    {
        // name, arguments (relative file names are under the test folder), file named, field named
        { "generate", ["generate", "--model", "@model", "--prompt", "hi"], "config.json", "\"model_type\"" },
        { "eval (data)", ["eval", "--model", "@model", "--data", "@no-question.jsonl", "--format", "gsm8k", "--out", "@eval.jsonl"], "no-question.jsonl", "question" },
        { "checkpoint inspect", ["checkpoint", "inspect", "@model"], "config.json", "\"model_type\"" },
        { "checkpoint convert", ["checkpoint", "convert", "@model", "@converted"], "config.json", "\"model_type\"" },
        { "tokenize", ["tokenize", "--tokenizer", "@hostile-tokenizer.json", "hi"], "hostile-tokenizer.json", "vocabulary entry \"a\" has id 2000000000" },
        { "bench tokenizer", ["bench", "tokenizer", "--tokenizer", "@hostile-tokenizer.json", "--data", "@no-question.jsonl"], "hostile-tokenizer.json", "vocabulary entry \"a\"" },
        { "train-rm (data)", ["train-rm", "--kind", "orm", "--init", "micro", "--tokenizer", "lab", "--data", "@no-response.jsonl", "--out", "@rm"], "no-response.jsonl", "response" },
        { "sft (config)", ["sft", "--config", "@bad.yaml"], "bad.yaml", "bogus_key" },
        { "train (config)", ["train", "--config", "@bad.yaml"], "bad.yaml", "bogus_key" },
        { "resume (config)", ["resume", "@run"], RunFolder.ConfigFileName, "bogus_key" },
        { "reward (config)", ["reward", "--config", "@bad.yaml", "--input", "@no-response.jsonl", "--out", "@scored.jsonl"], "bad.yaml", "bogus_key" },
        { "serve (config)", ["serve", "--config", "@bad.yaml", "--port", "0"], "bad.yaml", "bogus_key" },
        { "verify (cases)", ["verify", "--cases", "@no-question.jsonl"], "no-question.jsonl", "pred" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_bad_input_is_one_line_naming_file_and_field_with_exit_code_2(string name, string[] args, string file, string field)
    {
        string[] resolved = args.Select(a => a.StartsWith('@') ? P(a[1..]) : a).ToArray();
        var (code, _, err) = Run(resolved);
        string[] lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(code == 2, $"{name}: exit code {code}; stderr:\n{err}");
        Assert.True(lines.Length == 1, $"{name}: expected one line on stderr, got {lines.Length}:\n{err}");
        Assert.Contains(file, lines[0], StringComparison.Ordinal);
        Assert.Contains(field, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public void Verbose_adds_the_stack_trace_and_keeps_exit_code_2()
    {
        var (code, _, err) = Run("generate", "--model", P("model"), "--prompt", "hi", "--verbose");
        Assert.Equal(2, code);
        string[] lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("reasonrl generate: ", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"model_type\"", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.TrimStart().StartsWith("at ReasonRL.Models.HfConfig.Parse", StringComparison.Ordinal));
    }

    [Fact]
    public void A_model_over_max_model_gib_is_refused_in_one_line()
    {
        // The committed fixture is valid; a limit below its estimated size refuses it before loading.
        string fixture = Path.Combine(ReasonRL.Tests.SharedData.RepoRoot, "tests", "ReasonRL.Models.Tests", "Fixtures", "tied");
        var (code, _, err) = Run("checkpoint", "convert", fixture, P("converted"), "--max-model-gib", "0.000001");
        Assert.Equal(2, code);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("config.json", err, StringComparison.Ordinal);
        Assert.Contains("--max-model-gib", err, StringComparison.Ordinal);
        var (negative, _, negErr) = Run("generate", "--model", fixture, "--prompt", "x", "--max-model-gib", "-1");
        Assert.Equal(2, negative);
        Assert.Contains("--max-model-gib must be a positive number", negErr, StringComparison.Ordinal);
    }
}
