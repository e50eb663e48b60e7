// tokenizer.json parsing on small synthetic files: merges as "a b" strings and as [a, b]
// arrays give the same tokenizer, ignore_merges, the stage mapping, actionable errors for
// unsupported features, and path resolution (plain, gzip, model directory).
using ReasonRL.Tests;
using ReasonRL.Text.Bpe;
using System.IO.Compression;
using System.Text;

namespace ReasonRL.Text.Tests;

public class TokenizerJsonLoaderTests
{
    // Vocabulary: the 256 byte tokens (ids 0..255 in byte order), then "ab" 256, "abc" 257, "Ġab" 258,
    // "Ã©" 259 (é), "ĠÃ©" 261 ( é); added token <|eos|> 260.
    private static string Json(string merges, bool ignoreMerges = false, string normalizer = "null",
        string preTokenizer = """{"type": "ByteLevel", "add_prefix_space": false, "use_regex": true}""",
        string decoder = """{"type": "ByteLevel"}""")
    {
        var vocab = new StringBuilder();
        for (int b = 0; b < 256; b++)
        {
            string c = ByteLevelMap.ByteToChar((byte)b).ToString();
            string escaped = c switch { "\"" => "\\\"", "\\" => "\\\\", _ => c };
            vocab.Append($"\"{escaped}\": {b}, ");
        }
        vocab.Append("\"ab\": 256, \"abc\": 257, \"Ġab\": 258, \"Ã©\": 259, \"ĠÃ©\": 261");
        return $$"""
        {"version": "1.0",
         "added_tokens": [{"id": 260, "content": "<|eos|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
         "normalizer": {{normalizer}},
         "pre_tokenizer": {{preTokenizer}},
         "post_processor": null,
         "decoder": {{decoder}},
         "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": null,
                   "end_of_word_suffix": null, "fuse_unk": false, "byte_fallback": false,
                   "ignore_merges": {{(ignoreMerges ? "true" : "false")}},
                   "vocab": { {{vocab}} }, "merges": {{merges}}
         }
        }
        """;
    }

    private static ByteLevelBpeTokenizer Parse(string json) =>
        TokenizerJsonLoader.Parse(Encoding.UTF8.GetBytes(json), "test-tokenizer.json", config: null);

    [Fact]
    public void MergesAsStringsOrArraysGiveTheSameTokenizer()
    {
        ByteLevelBpeTokenizer strings = Parse(Json("""["a b", "ab c", "Ġ ab", "Ã ©", "Ġ Ã©"]"""));
        ByteLevelBpeTokenizer arrays = Parse(Json("""[["a", "b"], ["ab", "c"], ["Ġ", "ab"], ["Ã", "©"], ["Ġ", "Ã©"]]"""));
        foreach (ByteLevelBpeTokenizer t in (ByteLevelBpeTokenizer[])[strings, arrays])
        {
            Assert.Equal([257, 258, 'x', 261], t.Encode("abc abx \u00E9").Ids);
            Assert.Equal(262, t.VocabSize);
            Assert.Equal(5, t.MergeCount);
            Assert.Empty(t.EosIds); // no config, and "<|eos|>" is none of the default EOS names
        }
    }

    [Fact]
    public void IgnoreMergesTakesAWholeVocabularyWordAtOnce()
    {
        // "abc" is in the vocabulary but no merge path builds it from "ab"+"c" here.
        ByteLevelBpeTokenizer merged = Parse(Json("""["a b"]"""));
        ByteLevelBpeTokenizer whole = Parse(Json("""["a b"]""", ignoreMerges: true));
        Assert.Equal([256, 'c'], merged.Encode("abc").Ids);
        Assert.Equal([257], whole.Encode("abc").Ids);
        Assert.Equal(new TokenOffset(0, 3), whole.Encode("abc").Offsets[0]);
    }

    [Fact]
    public void NfcNormalizerAndSplitPreTokenizerAreWired()
    {
        ByteLevelBpeTokenizer t = Parse(Json("""[["Ã", "©"], ["Ġ", "Ã©"]]""",
            normalizer: """{"type": "Sequence", "normalizers": [{"type": "NFC"}]}""",
            preTokenizer: """{"type": "Sequence", "pretokenizers": [{"type": "Split", "pattern": {"Regex": " ?[^ ]+"}, "behavior": "Isolated", "invert": false}, {"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}]}"""));
        // " e\u0301" → NFC " é" → one token "ĠÃ©" (261) spanning the three input chars.
        TokenEncoding e = t.Encode("x e\u0301");
        Assert.Equal(['x', 261], e.Ids);
        Assert.Equal(new TokenOffset(1, 4), e.Offsets[1]);
    }

    [Theory]
    [InlineData("normalizer", """{"type": "Precompiled", "precompiled_charsmap": ""}""", "normalizer.type \"Precompiled\"")]
    [InlineData("pre_tokenizer", """{"type": "Metaspace", "replacement": "▁"}""", "pre_tokenizer.type \"Metaspace\"")]
    [InlineData("pre_tokenizer", """{"type": "ByteLevel", "add_prefix_space": true}""", "add_prefix_space is true")]
    [InlineData("decoder", """{"type": "Metaspace"}""", "decoder.type is \"Metaspace\"")]
    public void UnsupportedFeaturesNameTheField(string section, string value, string expected)
    {
        string json = section switch
        {
            "normalizer" => Json("[]", normalizer: value),
            "pre_tokenizer" => Json("[]", preTokenizer: value),
            _ => Json("[]", decoder: value),
        };
        var error = Assert.Throws<TokenizerFormatException>(() => Parse(json));
        Assert.Contains("test-tokenizer.json", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadMergesAreReportedWithTheirRank()
    {
        var missing = Assert.Throws<TokenizerFormatException>(() => Parse(Json("""["a b", "q zz"]""")));
        Assert.Contains("merge #1", missing.Message, StringComparison.Ordinal);
        Assert.Contains("\"zz\"", missing.Message, StringComparison.Ordinal);
        var malformed = Assert.Throws<TokenizerFormatException>(() => Parse(Json("""["a b c"]""")));
        Assert.Contains("exactly two parts", malformed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadsPlainGzipAndModelDirectory()
    {
        string dir = Directory.CreateTempSubdirectory("reasonrl-text-").FullName;
        try
        {
            string json = Json("""["a b"]""");
            File.WriteAllText(Path.Combine(dir, "tokenizer.json"), json);
            File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), """{"eos_token": {"content": "<|eos|>"}, "pad_token": "<|eos|>"}""");
            string gz = Path.Combine(dir, "copy.json.gz");
            using (var output = new GZipStream(File.Create(gz), CompressionLevel.Fastest)) output.Write(Encoding.UTF8.GetBytes(json));
            foreach (string path in (string[])[dir, Path.Combine(dir, "tokenizer.json"), gz])
            {
                ByteLevelBpeTokenizer t = TokenizerLoader.LoadByteLevel(path);
                Assert.Equal([256], t.Encode("ab").Ids);
                Assert.Equal([260], t.EosIds);
                Assert.Equal(260, t.PadId);
            }
            var none = Assert.Throws<FileNotFoundException>(() => TokenizerLoader.Load(Path.Combine(dir, "missing.json")));
            Assert.Contains("missing.json", none.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void QwenFileMapsToTheExpectedStages()
    {
        ByteLevelBpeTokenizer qwen = SharedTokenizers.Qwen;
        Assert.IsType<Normalization.UnicodeNormalizer>(qwen.Normalizer);
        Assert.Equal([PreTokenization.KnownPatterns.Qwen2], qwen.PreTokenizer.Patterns);
        Assert.Equal(151387, qwen.MergeCount);
        Assert.Equal(26, qwen.AddedTokens.Count);
        Assert.Equal(14, qwen.AddedTokens.Count(t => t.Special)); // <tool_call>, <|fim_*|>, <think> … are special: false
        Assert.Equal("Ġthe", qwen.IdToToken(qwen.Encode(" the").Ids[0]));
        Assert.Equal(151644, qwen.TokenToId("<|im_start|>"));
    }
}
