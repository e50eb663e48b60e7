// TokenizerJsonLoader, character level: reads back the tokenizer.json that CharTokenizer.ToTokenizerJson
// writes. Hugging Face's tokenizers has no character model, so that file is the equivalent pipeline:
//   added_tokens   the special tokens, ids 0..n-1, special: true
//   model          WordLevel: vocab = the specials, then one entry per code point in id order;
//                  unk_token "<unk>" when the specials hold it, else null (an unknown character is an error)
//   pre_tokenizer  Split on the regex [\s\S], behaviour Isolated: each code point is its own piece
//   decoder        Fuse: the pieces joined without spaces
// Hugging Face tools then encode and decode as CharTokenizer does; this reader accepts exactly that shape
// (ids contiguous in order, one code point per non-special entry, the same pre-tokenizer and decoder) and
// returns the CharTokenizer it came from, so a saved lab model folder is self-describing. Anything else in
// a WordLevel file is refused with a TokenizerFormatException naming the field, never approximated.
using System.Text;
using System.Text.Json;

namespace ReasonRL.Text;

public static partial class TokenizerJsonLoader
{
    /// <summary>The Split regex of a character tokenizer's file: one piece per code point (newline included).</summary>
    public const string CharPiecePattern = @"[\s\S]";

    private static bool IsCharLevel(JsonElement root, string source) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty("model", out JsonElement model) && model.ValueKind == JsonValueKind.Object &&
        model.TryGetProperty("type", out JsonElement type) && OptionalString(type, "model.type", source) == "WordLevel";

    private static CharTokenizer ParseCharLevel(JsonElement root, string source)
    {
        List<AddedToken> added = ReadAddedTokens(root, source);
        for (int i = 0; i < added.Count; i++)
        {
            if (added[i].Id != i || !added[i].Special)
                throw new TokenizerFormatException(source, $"added_tokens[{i}] is id {added[i].Id} (special: {added[i].Special}); a character tokenizer's special tokens are ids 0..{added.Count - 1} in order, special: true");
        }
        JsonElement model = Object(Required(root, "model", source), "model", source);
        JsonElement vocab = Object(Required(model, "vocab", source), "model.vocab", source);
        // Entries by id; every id must lie in [0, entry count), so nothing is sized by a hostile id.
        int count = 0;
        foreach (JsonProperty _ in vocab.EnumerateObject()) count++;
        var byId = new string?[count];
        foreach (JsonProperty entry in vocab.EnumerateObject())
        {
            int id = Int(entry.Value, $"model.vocab[\"{entry.Name}\"]", source);
            if ((uint)id >= (uint)count || byId[id] is not null)
                throw new TokenizerFormatException(source, $"model.vocab entry \"{entry.Name}\" has id {id}; expected distinct ids 0 ≤ id < {count}");
            byId[id] = entry.Name;
        }
        var alphabet = new StringBuilder();
        for (int id = 0; id < count; id++)
        {
            string token = byId[id]!;
            if (id < added.Count)
            {
                if (token != added[id].Content)
                    throw new TokenizerFormatException(source, $"model.vocab id {id} is \"{token}\" but added_tokens[{id}] is \"{added[id].Content}\"; expected the same special token");
                continue;
            }
            if (Rune.DecodeFromUtf16(token, out _, out int used) != System.Buffers.OperationStatus.Done || used != token.Length)
                throw new TokenizerFormatException(source, $"model.vocab entry \"{token}\" (id {id}) is not one code point; a character tokenizer has one per entry");
            alphabet.Append(token);
        }
        var specials = added.Select(a => a.Content).ToList();
        string? unk = model.TryGetProperty("unk_token", out JsonElement u) ? OptionalString(u, "model.unk_token", source) : null;
        string? expectedUnk = specials.Contains("<unk>") ? "<unk>" : null;
        if (unk != expectedUnk)
            throw new TokenizerFormatException(source, $"model.unk_token is {Quote(unk)}; expected {Quote(expectedUnk)} (a character tokenizer's unknown token is its \"<unk>\" special token, when it has one)");
        CheckCharLevelStage(root, "pre_tokenizer", source, p =>
            String(Required(p, "type", source), "pre_tokenizer.type", source) == "Split" &&
            p.TryGetProperty("pattern", out JsonElement pattern) && pattern.ValueKind == JsonValueKind.Object &&
            pattern.TryGetProperty("Regex", out JsonElement regex) && regex.ValueKind == JsonValueKind.String && regex.GetString() == CharPiecePattern &&
            p.TryGetProperty("behavior", out JsonElement b) && b.ValueKind == JsonValueKind.String && b.GetString() == "Isolated" &&
            !(p.TryGetProperty("invert", out JsonElement inv) && inv.ValueKind == JsonValueKind.True),
            $"Split on the regex {CharPiecePattern}, behavior Isolated");
        CheckCharLevelStage(root, "decoder", source, d => String(Required(d, "type", source), "decoder.type", source) == "Fuse", "Fuse");
        if (root.TryGetProperty("normalizer", out JsonElement n) && n.ValueKind != JsonValueKind.Null)
            throw new TokenizerFormatException(source, "normalizer is set; a character tokenizer's file has none");
        return new CharTokenizer(alphabet.ToString(), specials);
    }

    private static void CheckCharLevelStage(JsonElement root, string field, string source, Func<JsonElement, bool> matches, string expected)
    {
        if (!root.TryGetProperty(field, out JsonElement stage) || stage.ValueKind != JsonValueKind.Object || !matches(stage))
            throw new TokenizerFormatException(source, $"{field} is not the character tokenizer's; expected {expected}");
    }

    private static string Quote(string? s) => s is null ? "null" : $"\"{s}\"";
}
