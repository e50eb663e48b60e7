// A CharTokenizer written as a Hugging Face tokenizer.json (CharTokenizer.ToTokenizerJson) and read back
// by TokenizerJsonLoader / TokenizerLoader (TokenizerJsonLoader.CharLevel.cs) is the same tokenizer: same
// vocabulary in the same id order, same special ids, same encode and decode (unknown characters, special
// tokens, newlines, astral code points); its tokenizer_config.json names the same BOS/EOS/pad tokens.
// A WordLevel file that is not a character tokenizer's is refused naming the field.
using System.Text;
using System.Text.Json.Nodes;

namespace ReasonRL.Text.Tests;

public sealed class CharTokenizerJsonTests : IDisposable
{
    private const string LabAlphabet = "\n *+,-./0123456789=?AHMST\\abcdefghijklmnopqrstuvwxyz{}";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"reasonrl-char-json-{Guid.NewGuid():N}");

    public CharTokenizerJsonTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static ITokenizer RoundTrip(CharTokenizer tokenizer) =>
        TokenizerJsonLoader.ParseAny(Encoding.UTF8.GetBytes(tokenizer.ToTokenizerJson()), "char-tokenizer.json", config: null);

    private static void AssertSame(CharTokenizer expected, ITokenizer actual, IEnumerable<string> texts)
    {
        var read = Assert.IsType<CharTokenizer>(actual);
        Assert.Equal(expected.VocabSize, read.VocabSize);
        for (int id = 0; id < expected.VocabSize; id++)
        {
            Assert.Equal(expected.IdToToken(id), read.IdToToken(id));
            Assert.Equal(expected.IsSpecial(id), read.IsSpecial(id));
        }
        Assert.Equal(expected.BosId, read.BosId);
        Assert.Equal(expected.EosIds, read.EosIds);
        Assert.Equal(expected.PadId, read.PadId);
        Assert.Equal(expected.AddedTokens, read.AddedTokens);
        foreach (string text in texts)
        {
            foreach (var policy in (SpecialTokenPolicy[])[SpecialTokenPolicy.Text, SpecialTokenPolicy.Allow])
            {
                var a = expected.Encode(text, policy);
                var b = read.Encode(text, policy);
                Assert.Equal(a.Ids, b.Ids);
                Assert.Equal(a.Offsets, b.Offsets);
                Assert.Equal(expected.Decode(a.Ids), read.Decode(b.Ids));
                Assert.Equal(expected.Decode(a.Ids, skipSpecialTokens: true), read.Decode(b.Ids, skipSpecialTokens: true));
            }
        }
    }

    [Fact]
    public void The_lab_tokenizer_round_trips_through_its_tokenizer_json()
    {
        var lab = new CharTokenizer(LabAlphabet);
        string[] texts =
        [
            "", "7", "Sam has 3 apples.\nHe buys 4 more, 3 + 4 = 7.\nThe answer is \\boxed{7}",
            "<bos>12*3=36<eos><pad>", "unknown é 字 😀 and CAPS Q",
        ];
        AssertSame(lab, RoundTrip(lab), texts);
        // In-alphabet text decodes to itself; an unknown character is one <unk> in both.
        var read = RoundTrip(lab);
        Assert.Equal(texts[2], read.Decode(read.Encode(texts[2]).Ids));
        Assert.Equal(new[] { 3, 3 }, read.Encode("é字").Ids);
    }

    [Fact]
    public void Non_ascii_alphabets_and_other_specials_round_trip()
    {
        var corpus = CharTokenizer.FromCorpus(["naïve café", "数学 😀 ∑", "tab\there"], ["<s>", "</s>"]);
        Assert.Null(corpus.BosId);   // no "<bos>" among the specials: no roles, and no <unk> (unknown is an error)
        var read = RoundTrip(corpus);
        AssertSame(corpus, read, ["café 😀", "数学\t∑", "naïve"]);
        Assert.Equal(new[] { 1 }, read.Encode("</s>", SpecialTokenPolicy.Allow).Ids);
        Assert.Throws<ArgumentException>(() => read.Encode("x"));
    }

    [Fact]
    public void TokenizerLoader_reads_the_file_from_a_folder_and_its_config_names_the_special_tokens()
    {
        var lab = new CharTokenizer(LabAlphabet);
        File.WriteAllText(Path.Combine(_dir, "tokenizer.json"), lab.ToTokenizerJson());
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), TokenizerConfig.ToJson(lab));
        AssertSame(lab, TokenizerLoader.Load(_dir), ["1+1=2\n", "<eos>"]);
        var config = TokenizerConfig.Read(Path.Combine(_dir, "tokenizer_config.json"));
        Assert.Equal(("<bos>", "<eos>", "<pad>", "<unk>"), (config.BosToken, config.EosToken, config.PadToken, config.UnkToken));
        // The byte-level loader refuses it by name instead of misreading it.
        var e = Assert.Throws<TokenizerFormatException>(() => TokenizerLoader.LoadByteLevel(_dir));
        Assert.Contains("model.type is \"WordLevel\"", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("model.vocab.a", 99, "has id 99; expected distinct ids 0 ≤ id < ")]
    [InlineData("model.vocab.b", 4, "has id 4; expected distinct ids")]
    [InlineData("model.unk_token", "<pad>", "model.unk_token is \"<pad>\"; expected \"<unk>\"")]
    [InlineData("decoder.type", "ByteLevel", "decoder is not the character tokenizer's; expected Fuse")]
    [InlineData("pre_tokenizer.pattern.Regex", ".", "pre_tokenizer is not the character tokenizer's")]
    [InlineData("added_tokens.1.id", 7, "added_tokens[1] is id 7")]
    public void A_wordlevel_file_that_is_not_a_character_tokenizers_is_refused_naming_the_field(string path, object value, string expected)
    {
        JsonNode root = JsonNode.Parse(new CharTokenizer("abc").ToTokenizerJson())!;
        string[] keys = path.Split('.');
        JsonNode parent = root;
        foreach (string key in keys[..^1]) parent = int.TryParse(key, out int i) ? parent[i]! : parent[key]!;
        parent[keys[^1]] = value is int n ? JsonValue.Create(n) : JsonValue.Create((string)value);
        var e = Assert.Throws<TokenizerFormatException>(() =>
            TokenizerJsonLoader.ParseAny(Encoding.UTF8.GetBytes(root.ToJsonString()), "edited.json", config: null));
        Assert.StartsWith("edited.json: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_vocabulary_entry_of_two_characters_is_refused()
    {
        JsonNode root = JsonNode.Parse(new CharTokenizer("abc").ToTokenizerJson())!;
        var vocab = root["model"]!["vocab"]!.AsObject();
        vocab.Remove("c");
        vocab["cd"] = 6;
        var e = Assert.Throws<TokenizerFormatException>(() =>
            TokenizerJsonLoader.ParseAny(Encoding.UTF8.GetBytes(root.ToJsonString()), "two.json", config: null));
        Assert.Contains("\"cd\" (id 6) is not one code point", e.Message, StringComparison.Ordinal);
    }
}
