// Golden vectors produced by Hugging Face tokenizers (../shared/data/tokenizer/vectors.jsonl and
// the llama.cpp .inp/.out pairs): every gpt-2 vector (vocabulary from ggml-vocab-gpt-2.gguf)
// and every qwen2 vector (from qwen3-tokenizer.json.gz) must be reproduced exactly.
// The llama-bpe vectors cannot be checked: the Llama 3 tokenizer file is not in ../shared
// (its licence asks redistributors for attribution duties), so no test claims them.
using ReasonRL.Tests;
using System.Text;

namespace ReasonRL.Text.Tests;

[Trait(SharedData.Trait, SharedData.TraitValue)]
public class GoldenVectorTests
{
    [SharedDataFact]
    public void EveryGpt2VectorIsReproducedFromTheGguf() => CheckAll("gpt-2", SharedTokenizers.Gpt2, expectedCount: 46);

    [SharedDataFact]
    public void EveryQwen2VectorIsReproducedFromTheTokenizerJson() => CheckAll("qwen2", SharedTokenizers.Qwen, expectedCount: 49);

    [SharedDataTheory]
    [InlineData("ggml-vocab-gpt-2.gguf", "gpt-2")]
    [InlineData("ggml-vocab-qwen2.gguf", "qwen2")]
    public void LlamaCppInpOutPairsAgree(string stem, string tokenizerName)
    {
        ITokenizer tokenizer = tokenizerName == "gpt-2" ? SharedTokenizers.Gpt2 : SharedTokenizers.Qwen;
        string inp = Encoding.UTF8.GetString(File.ReadAllBytes(SharedData.PathOf($"data/tokenizer/{stem}.inp")));
        string[] tests = inp.Split("\n__ggml_vocab_test__\n");
        Assert.Equal("", tests[^1]);
        tests = tests[..^1];
        string[] lines = Encoding.UTF8.GetString(File.ReadAllBytes(SharedData.PathOf($"data/tokenizer/{stem}.out"))).Split('\n');
        Assert.Equal(46, tests.Length);
        for (int i = 0; i < tests.Length; i++)
        {
            int[] expected = lines[i].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray();
            Assert.True(expected.SequenceEqual(tokenizer.Encode(tests[i]).Ids), $"{stem} test #{i} {Show(tests[i])}");
        }
    }

    private static void CheckAll(string name, ITokenizer tokenizer, int expectedCount)
    {
        var failures = new List<string>();
        int count = 0;
        foreach (TokenizerVector v in SharedTokenizers.Vectors().Where(v => v.Tokenizer == name))
        {
            count++;
            int[] actual = tokenizer.Encode(v.Text).Ids;
            if (!actual.SequenceEqual(v.Ids))
            {
                failures.Add($"{v.Source}: {Show(v.Text)}\n  expected [{string.Join(",", v.Ids)}]\n  actual   [{string.Join(",", actual)}]");
            }
            // The vectors are NFC text, so decoding inverts encoding exactly.
            Assert.Equal(v.Text, tokenizer.Decode(v.Ids));
        }
        Assert.Equal(expectedCount, count);
        Assert.True(failures.Count == 0, $"{failures.Count}/{count} {name} vectors differ:\n" + string.Join("\n", failures));
    }

    private static string Show(string text) => text.Length > 60 ? text[..60] + "…" : text;
}
