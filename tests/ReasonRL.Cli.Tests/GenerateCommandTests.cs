// `reasonrl generate` end to end on the committed tied-embedding fixture checkpoint (V = 96) plus a
// synthetic byte-level tokenizer.json written beside it: the 95 printable ASCII bytes (ids 0..94)
// and <|endoftext|> (id 95, an EOS). Output captured by the invocation configuration.
using ReasonRL.Cli.Commands;
using ReasonRL.Tests;
using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;

namespace ReasonRL.Cli.Tests;

public sealed partial class GenerateCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"reasonrl-generate-{Guid.NewGuid():N}");

    public GenerateCommandTests()
    {
        Directory.CreateDirectory(_dir);
        string fixture = Path.Combine(SharedData.RepoRoot, "tests", "ReasonRL.Models.Tests", "Fixtures", "tied");
        foreach (var name in new[] { "config.json", "model.safetensors" }) File.Copy(Path.Combine(fixture, name), Path.Combine(_dir, name));
        var vocab = new StringBuilder();
        for (int b = 0x20; b <= 0x7E; b++)
        {
            // GPT-2 byte-level form: printable bytes map to themselves, space (0x20) to 'Ġ'
            string c = b == 0x20 ? "Ġ" : ((char)b).ToString();
            string escaped = c switch { "\"" => "\\\"", "\\" => "\\\\", _ => c };
            vocab.Append($"\"{escaped}\": {b - 0x20}, ");
        }
        vocab.Length -= 2;
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), $$$"""
            {"version": "1.0",
             "added_tokens": [{"id": 95, "content": "<|endoftext|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
             "normalizer": null,
             "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "use_regex": true},
             "post_processor": null,
             "decoder": {"type": "ByteLevel"},
             "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
                       "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false, "ignore_merges": false,
                       "vocab": { {{{vocab}}} }, "merges": []}}
            """);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand("test");
        root.Subcommands.Add(GenerateCommand.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    [GeneratedRegex(@"^--- continuation (\d+): (\d+) tokens, finish (stop|length), sum log-prob (-?[0-9.]+)$", RegexOptions.Multiline)]
    private static partial Regex Header();

    [Fact]
    public void GreedyBatchPrintsIdenticalContinuationsFinishReasonsAndThroughput()
    {
        var (code, output, error) = Run("generate", "--model", _dir, "--prompt", "1+2=", "--n", "3", "--temperature", "0", "--max-new-tokens", "6");
        Assert.True(code == 0, error);
        var headers = Header().Matches(output);
        Assert.Equal(3, headers.Count);
        for (int i = 0; i < 3; i++) Assert.Equal(i.ToString(), headers[i].Groups[1].Value);
        foreach (Match m in headers)
        {
            int tokens = int.Parse(m.Groups[2].Value);
            Assert.InRange(tokens, 1, 6);
            // length means the budget was used; stop (EOS id 95) may come at any step up to it
            Assert.True(m.Groups[3].Value == "stop" || tokens == 6, m.Value);
        }
        // greedy: every continuation (header and text) is the same
        string body = output[..(output.LastIndexOf('\n', output.IndexOf(" new tokens in ", StringComparison.Ordinal)) + 1)];
        var blocks = body.Split("--- continuation ").Skip(1).Select(b => b[b.IndexOf(':')..]).ToArray();
        Assert.Equal(3, blocks.Length);
        Assert.All(blocks, b => Assert.Equal(blocks[0], b));
        Assert.Matches(@"\d+ new tokens in [0-9.]+ s: [0-9.]+ tokens/s \(prompt 4 tokens, batch 3, prefill included\)", output);
    }

    [Fact]
    public void SamplingIsReproducibleBySeedAndBadArgumentsAreErrors()
    {
        string[] args = ["generate", "--model", _dir, "--prompt", "x", "--n", "2", "--temperature", "1", "--top-p", "0.9", "--top-k", "20", "--max-new-tokens", "8", "--seed", "7"];
        var first = Run(args);
        var second = Run(args);
        Assert.True(first.Code == 0, first.Err);
        static string Body(string o) => o[..o.LastIndexOf(" new tokens in ", StringComparison.Ordinal)];
        Assert.Equal(Body(first.Out), Body(second.Out));
        Assert.Equal(2, Header().Matches(first.Out).Count);
        var bad = Run("generate", "--model", _dir, "--prompt", "x", "--n", "0");
        Assert.Equal(2, bad.Code);
        Assert.Contains("--n must be >= 1", bad.Err);
    }
}
