// make_tiny_fixture: writes tests/Fixtures/tiny-qwen2-bpe, a tiny Hugging Face-format Qwen2 model
// directory for pipeline tests of `reasonrl eval` and `reasonrl generate`:
//   tokenizer.json     a REAL byte-level BPE: 256 byte symbols + N merges learned here (default 400)
//                      from GSM8K train questions and solutions, Qwen2's pre-tokenizer regex, and
//                      the ChatML specials <|endoftext|>, <|im_start|>, <|im_end|>;
//   config.json        qwen2, hidden 32, 2 layers, 4 heads / 2 KV heads, FFN 64, tied embeddings;
//   model.safetensors  random weights (ParameterLayout.InitializeRandom, std 0.02), F32.
// BPE training (Sennrich et al. 2016; minbpe): pre-tokenize with the Qwen2 regex, count words as
// byte-level strings, then repeatedly merge the most frequent adjacent symbol pair (ties: the
// ordinally smallest "left right"), re-counting after each merge. Deterministic for its inputs.
// Not a general tokenizer trainer and not part of the build: run it from the repository root with
//   dotnet run tools/tiny-fixture/make_tiny_fixture.cs -- ../shared/data/gsm8k/train.jsonl tests/Fixtures/tiny-qwen2-bpe [merges] [questions]
#:project ../../src/ReasonRL.Models/ReasonRL.Models.csproj
#:project ../../src/ReasonRL.Text/ReasonRL.Text.csproj
#:project ../../src/ReasonRL.Data/ReasonRL.Data.csproj
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using ReasonRL.Data.Datasets;
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Text.Bpe;
using ReasonRL.Text.PreTokenization;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: make_tiny_fixture.cs GSM8K_TRAIN_JSONL OUT_DIR [MERGES=400] [QUESTIONS=2000]");
    return 2;
}
string dataPath = args[0], outDir = args[1];
int mergeCount = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 400;
int questionCount = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 2000;
const int Seed = 20261129;

// 1. Word frequencies (byte-level strings) over the first questions and their solutions.
var preTokenizer = new RegexPreTokenizer([KnownPatterns.Qwen2]);
var wordCounts = new Dictionary<string, long>(StringComparer.Ordinal);
var pieces = new List<PreToken>();
foreach (var row in Gsm8kLoader.Load(dataPath).Take(questionCount))
{
    foreach (string text in new[] { row.Question, row.Solution })
    {
        pieces.Clear();
        preTokenizer.Split(text, pieces);
        foreach (var p in pieces)
        {
            string word = ByteLevelMap.Encode(Encoding.UTF8.GetBytes(text.Substring(p.Start, p.Length)));
            wordCounts[word] = wordCounts.GetValueOrDefault(word) + 1;
        }
    }
}

// 2. BPE merges. Symbols: the 256 byte-level chars (ids 0..255 in byte order), then one id per merge.
var vocab = new List<string>();
for (int b = 0; b < 256; b++) vocab.Add(ByteLevelMap.ByteToChar((byte)b).ToString());
var words = wordCounts.Select(kv => (Symbols: kv.Key.Select(c => c.ToString()).ToList(), Count: kv.Value)).ToList();
var merges = new List<(string Left, string Right)>();
for (int m = 0; m < mergeCount; m++)
{
    var pairs = new Dictionary<(string, string), long>();
    foreach (var (symbols, count) in words)
        for (int i = 0; i + 1 < symbols.Count; i++)
            pairs[(symbols[i], symbols[i + 1])] = pairs.GetValueOrDefault((symbols[i], symbols[i + 1])) + count;
    if (pairs.Count == 0) break;
    var best = pairs.OrderByDescending(kv => kv.Value)
        .ThenBy(kv => kv.Key.Item1 + " " + kv.Key.Item2, StringComparer.Ordinal).First().Key;
    string merged = best.Item1 + best.Item2;
    merges.Add(best);
    vocab.Add(merged);
    foreach (var (symbols, _) in words)
    {
        for (int i = 0; i + 1 < symbols.Count; i++)
        {
            if (symbols[i] == best.Item1 && symbols[i + 1] == best.Item2)
            {
                symbols[i] = merged;
                symbols.RemoveAt(i + 1);
            }
        }
    }
}
string[] specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"];
int firstSpecial = vocab.Count;
Directory.CreateDirectory(outDir);

// 3. tokenizer.json in the Hugging Face layout (what TokenizerJsonLoader reads).
using (var stream = File.Create(Path.Combine(outDir, "tokenizer.json")))
using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
{
    w.WriteStartObject();
    w.WriteString("version", "1.0");
    w.WriteNull("truncation");
    w.WriteNull("padding");
    w.WriteStartArray("added_tokens");
    for (int i = 0; i < specials.Length; i++)
    {
        w.WriteStartObject();
        w.WriteNumber("id", firstSpecial + i);
        w.WriteString("content", specials[i]);
        w.WriteBoolean("single_word", false);
        w.WriteBoolean("lstrip", false);
        w.WriteBoolean("rstrip", false);
        w.WriteBoolean("normalized", false);
        w.WriteBoolean("special", true);
        w.WriteEndObject();
    }
    w.WriteEndArray();
    w.WriteNull("normalizer");
    w.WriteStartObject("pre_tokenizer");
    w.WriteString("type", "Sequence");
    w.WriteStartArray("pretokenizers");
    w.WriteStartObject();
    w.WriteString("type", "Split");
    w.WriteStartObject("pattern");
    w.WriteString("Regex", KnownPatterns.Qwen2);
    w.WriteEndObject();
    w.WriteString("behavior", "Isolated");
    w.WriteBoolean("invert", false);
    w.WriteEndObject();
    WriteByteLevel(w, null);
    w.WriteEndArray();
    w.WriteEndObject();
    WriteByteLevel(w, "post_processor");
    WriteByteLevel(w, "decoder");
    w.WriteStartObject("model");
    w.WriteString("type", "BPE");
    w.WriteNull("dropout");
    w.WriteNull("unk_token");
    w.WriteString("continuing_subword_prefix", "");
    w.WriteString("end_of_word_suffix", "");
    w.WriteBoolean("fuse_unk", false);
    w.WriteBoolean("byte_fallback", false);
    w.WriteBoolean("ignore_merges", false);
    w.WriteStartObject("vocab");
    for (int i = 0; i < vocab.Count; i++) w.WriteNumber(vocab[i], i);
    w.WriteEndObject();
    w.WriteStartArray("merges");
    foreach (var (left, right) in merges)
    {
        w.WriteStartArray();
        w.WriteStringValue(left);
        w.WriteStringValue(right);
        w.WriteEndArray();
    }
    w.WriteEndArray();
    w.WriteEndObject();
    w.WriteEndObject();
}

// 4. config.json + model.safetensors with random weights.
var config = new ModelConfig
{
    VocabSize = firstSpecial + specials.Length,
    HiddenSize = 32,
    IntermediateSize = 64,
    LayerCount = 2,
    HeadCount = 4,
    KvHeadCount = 2,
    MaxPositionEmbeddings = 4096,
    TieWordEmbeddings = true,
    AttentionBias = true,
    EosTokenIds = [firstSpecial, firstSpecial + 2],
};
using (var model = new Transformer(config, GemmFactory.Create(GemmKind.Managed)))
{
    model.InitializeRandom(Seed);
    var tensors = model.Layout.Slab.Entries
        .Select(e => SafeTensorsTensor.FromFloats(e.Name, e.Shape, model.Parameters.View(e).ToArray())).ToList();
    HfCheckpoint.Save(outDir, config, tensors);
}
Console.WriteLine($"{outDir}: {merges.Count} merges from {wordCounts.Count} distinct words, vocab {config.VocabSize} (specials {firstSpecial}..{config.VocabSize - 1}), seed {Seed}");
return 0;

static void WriteByteLevel(Utf8JsonWriter w, string? property)
{
    if (property is null) w.WriteStartObject();
    else w.WriteStartObject(property);
    w.WriteString("type", "ByteLevel");
    w.WriteBoolean("add_prefix_space", false);
    w.WriteBoolean("trim_offsets", false);
    w.WriteBoolean("use_regex", false);
    w.WriteEndObject();
}
