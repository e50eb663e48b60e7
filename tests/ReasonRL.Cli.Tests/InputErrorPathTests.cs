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
        // A model folder whose config.json names a model_type the engine does not implement (the issue's example).
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
        File.WriteAllText(Path.Combine(_dir, "good.jsonl"), """{"question": "1+1?", "answer": "#### 2"}""" + "\n");
        // Llama 3.1 405B's shape (V 128256, C 16384, F 53248, 126 layers, 128/8 heads): valid, about 3 TB to
        // load, larger than any machine this runs on; config.json only, no weights or tokenizer.
        string huge = Path.Combine(_dir, "huge");
        Directory.CreateDirectory(huge);
        File.WriteAllText(Path.Combine(huge, "config.json"), """
            {"model_type": "llama", "vocab_size": 128256, "hidden_size": 16384, "intermediate_size": 53248,
             "num_hidden_layers": 126, "num_attention_heads": 128, "num_key_value_heads": 8, "max_position_embeddings": 8192}
            """);
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

    /// <summary>Every command that loads a model directory, with "@model" standing for the directory under
    /// test; the size check comes before the other files it names are used (eval reads its data first).</summary>
    public static TheoryData<string, string[]> ModelLoadingCommands() => new()
    {
        { "generate", ["generate", "--model", "@model", "--prompt", "hi"] },
        { "eval", ["eval", "--model", "@model", "--data", "@good.jsonl", "--format", "gsm8k", "--out", "@eval.jsonl"] },
        { "checkpoint convert", ["checkpoint", "convert", "@model", "@converted"] },
        { "train", ["train", "--config", "@train.yaml"] },
        { "resume", ["resume", "@train-run"] },
        { "sft", ["sft", "--config", "@sft.yaml"] },
        { "train-rm", ["train-rm", "--kind", "orm", "--model", "@model", "--data", "@no-response.jsonl", "--out", "@rm"] },
        { "serve", ["serve", "--config", "@serve.yaml", "--port", "0"] },
    };

    /// <summary>Writes the configs of <see cref="ModelLoadingCommands"/> naming <paramref name="model"/>, and returns the arguments resolved.</summary>
    private string[] Resolve(string[] args, string model)
    {
        File.WriteAllText(P("train.yaml"), $"model:\n  policy: {model}\ndata:\n  prompts: {P("no-question.jsonl")}\nrun:\n  output_dir: {P("train-out")}\n");
        File.WriteAllText(P("sft.yaml"), $"model:\n  init: {model}\ndata:\n  train: {P("no-response.jsonl")}\nrun:\n  output_dir: {P("sft-out")}\n");
        File.WriteAllText(P("serve.yaml"), $"orm:\n  alpha: 1.0\n  path: {model}\n");
        Directory.CreateDirectory(P("train-run"));
        File.WriteAllText(Path.Combine(P("train-run"), RunFolder.KindFileName), "train\n");
        File.Copy(P("train.yaml"), Path.Combine(P("train-run"), RunFolder.ConfigFileName), overwrite: true);
        return args.Select(a => a == "@model" ? model : a.StartsWith('@') ? P(a[1..]) : a).ToArray();
    }

    private static void AssertRefusedForSize(string name, string configJson, (int Code, string Out, string Err) result, string limit)
    {
        var (code, _, err) = result;
        string[] lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(code == 2, $"{name}: exit code {code}; stderr:\n{err}");
        Assert.True(lines.Length == 1, $"{name}: expected one line on stderr, got {lines.Length}:\n{err}");
        Assert.Contains(configJson, lines[0], StringComparison.Ordinal);
        Assert.Contains("vocab_size, hidden_size, intermediate_size, num_hidden_layers", lines[0], StringComparison.Ordinal);
        Assert.Contains(limit, lines[0], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ModelLoadingCommands))]
    public void A_model_larger_than_the_machine_is_refused_in_one_line(string name, string[] args)
    {
        string huge = P("huge");
        AssertRefusedForSize(name, Path.Combine(huge, "config.json"), Run(Resolve(args, huge)), "this machine's memory");
    }

    [Theory]
    [MemberData(nameof(ModelLoadingCommands))]
    public void A_model_over_max_model_gib_is_refused_in_one_line(string name, string[] args)
    {
        // The committed fixture is valid and small; a limit below its estimated size refuses it before loading.
        string fixture = Path.Combine(ReasonRL.Tests.SharedData.RepoRoot, "tests", "ReasonRL.Models.Tests", "Fixtures", "tied");
        AssertRefusedForSize(name, Path.Combine(fixture, "config.json"), Run([.. Resolve(args, fixture), "--max-model-gib", "0.000001"]), "--max-model-gib");
    }

    [Fact]
    public void Eval_checks_the_reward_model_too()
    {
        string fixture = Path.Combine(ReasonRL.Tests.SharedData.RepoRoot, "tests", "ReasonRL.Models.Tests", "Fixtures", "tied");
        var result = Run("eval", "--model", fixture, "--data", P("good.jsonl"), "--format", "gsm8k", "--out", P("eval.jsonl"),
            "--mode", "bon@2", "--rm", P("huge"));
        AssertRefusedForSize("eval --rm", Path.Combine(P("huge"), "config.json"), result, "this machine's memory");
    }

    [Theory]
    [MemberData(nameof(ModelLoadingCommands))]
    public void A_max_model_gib_that_is_not_positive_is_refused(string name, string[] args)
    {
        var (code, _, err) = Run([.. Resolve(args, P("huge")), "--max-model-gib", "-1"]);
        Assert.True(code == 2, $"{name}: exit code {code}; stderr:\n{err}");
        Assert.Contains("--max-model-gib must be a positive number", err, StringComparison.Ordinal);
    }
}
