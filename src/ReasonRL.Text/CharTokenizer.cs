// CharTokenizer: one token per Unicode code point, for small synthetic tasks (the lab's
// arithmetic problems) where a 150k BPE vocabulary would be absurd. Same ITokenizer contract:
// special tokens come first in the id space and are matched in text only per SpecialTokenPolicy;
// a code point outside the alphabet becomes the unknown token when one is configured, and is an
// error otherwise (so a typo in a task generator cannot pass silently).
// Offsets: each token spans its code point (two UTF-16 units for one outside the BMP).
// It is not byte-level: a text with characters outside the alphabet does not round-trip
// unless they are in the alphabet. ToTokenizerJson writes it as a Hugging Face tokenizer.json
// (WordLevel over the alphabet, one piece per code point) that TokenizerLoader reads back.
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace ReasonRL.Text;

/// <summary>Code-point tokenizer with a fixed alphabet.</summary>
public sealed class CharTokenizer : ITokenizer
{
    /// <summary>Default special tokens: pad, bos, eos, unk (ids 0..3).</summary>
    public static readonly string[] DefaultSpecialTokens = ["<pad>", "<bos>", "<eos>", "<unk>"];

    private readonly Dictionary<int, int> _codePointToId = [];
    private readonly string[] _idToToken;
    private readonly AddedTokenSplitter _splitter;
    private readonly int? _unknownId;
    private readonly int _specialCount;

    /// <summary>Creates a tokenizer over <paramref name="alphabet"/>'s code points (duplicates ignored, order kept).</summary>
    /// <param name="alphabet">Characters of the vocabulary, e.g. "0123456789+-*/=() \n".</param>
    /// <param name="specialTokens">Special tokens, ids 0..n-1; "&lt;pad&gt;", "&lt;bos&gt;", "&lt;eos&gt;", "&lt;unk&gt;" get their roles.</param>
    public CharTokenizer(string alphabet, IReadOnlyList<string>? specialTokens = null)
    {
        ArgumentNullException.ThrowIfNull(alphabet);
        specialTokens ??= DefaultSpecialTokens;
        var tokens = new List<string>(specialTokens);
        var added = new List<AddedToken>();
        for (int i = 0; i < specialTokens.Count; i++) added.Add(new AddedToken(i, specialTokens[i], Special: true));
        _specialCount = specialTokens.Count;
        foreach (Rune rune in alphabet.EnumerateRunes())
        {
            if (_codePointToId.TryAdd(rune.Value, tokens.Count)) tokens.Add(rune.ToString());
        }
        _idToToken = tokens.ToArray();
        AddedTokens = added;
        _splitter = new AddedTokenSplitter(added);
        int? Find(string name) => specialTokens.Contains(name) ? specialTokens.ToList().IndexOf(name) : null;
        PadId = Find("<pad>");
        BosId = Find("<bos>");
        int? eos = Find("<eos>");
        EosIds = eos is null ? [] : [eos.Value];
        _unknownId = Find("<unk>");
    }

    /// <summary>A tokenizer whose alphabet is every code point of <paramref name="corpus"/>, sorted by code point.</summary>
    public static CharTokenizer FromCorpus(IEnumerable<string> corpus, IReadOnlyList<string>? specialTokens = null)
    {
        var set = new SortedSet<int>();
        foreach (string text in corpus)
        {
            foreach (Rune rune in text.EnumerateRunes()) set.Add(rune.Value);
        }
        var alphabet = new StringBuilder();
        foreach (int cp in set) alphabet.Append(char.ConvertFromUtf32(cp));
        return new CharTokenizer(alphabet.ToString(), specialTokens);
    }

    public int VocabSize => _idToToken.Length;

    public IReadOnlyList<int> EosIds { get; }

    public int? BosId { get; }

    public int? PadId { get; }

    public IReadOnlyList<AddedToken> AddedTokens { get; }

    public TokenEncoding Encode(string text, SpecialTokenPolicy policy = SpecialTokenPolicy.Text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length);
        var offsets = new List<TokenOffset>(text.Length);
        var segments = new List<TextSegment>();
        _splitter.Split(text, policy, segments);
        foreach (TextSegment segment in segments)
        {
            if (segment.IsAddedToken)
            {
                ids.Add(segment.TokenId);
                offsets.Add(new TokenOffset(segment.Start, segment.Start + segment.Length));
                continue;
            }
            int i = segment.Start;
            int end = segment.Start + segment.Length;
            while (i < end)
            {
                // A lone surrogate decodes to U+FFFD in Rune terms; it is unknown unless U+FFFD is in the alphabet.
                Rune.DecodeFromUtf16(text.AsSpan(i, end - i), out Rune rune, out int used);
                if (!_codePointToId.TryGetValue(rune.Value, out int id))
                {
                    id = _unknownId ?? throw new ArgumentException(
                        $"character U+{rune.Value:X4} at index {i} is not in the CharTokenizer alphabet and no <unk> token is defined",
                        nameof(text));
                }
                ids.Add(id);
                offsets.Add(new TokenOffset(i, i + used));
                i += used;
            }
        }
        return new TokenEncoding(ids.ToArray(), offsets.ToArray());
    }

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        var text = new StringBuilder(ids.Length);
        for (int i = 0; i < ids.Length; i++)
        {
            int id = ids[i];
            if ((uint)id >= (uint)_idToToken.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} at index {i} is outside [0, {_idToToken.Length})");
            }
            if (skipSpecialTokens && id < _specialCount) continue;
            text.Append(_idToToken[id]);
        }
        return text.ToString();
    }

    public string IdToToken(int id) => (uint)id < (uint)_idToToken.Length
        ? _idToToken[id]
        : throw new ArgumentOutOfRangeException(nameof(id), $"token id {id} is outside [0, {_idToToken.Length})");

    public int? TokenToId(string token)
    {
        int special = Array.IndexOf(_idToToken, token, 0, _specialCount);
        if (special >= 0) return special;
        return Rune.DecodeFromUtf16(token, out Rune rune, out int used) == System.Buffers.OperationStatus.Done &&
               used == token.Length && _codePointToId.TryGetValue(rune.Value, out int id) ? id : null;
    }

    public bool IsSpecial(int id) => id >= 0 && id < _specialCount;

    /// <summary>This tokenizer as a Hugging Face tokenizer.json (indented UTF-8 JSON): the specials as added_tokens,
    /// a WordLevel model over the specials and the alphabet in id order (unk_token "&lt;unk&gt;" when defined), a Split
    /// pre-tokenizer giving each code point its own piece and a Fuse decoder. TokenizerLoader reads it back as an equal
    /// CharTokenizer (TokenizerJsonLoader.CharLevel.cs has the schema).</summary>
    public string ToTokenizerJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("version", "1.0");
            w.WriteNull("truncation");
            w.WriteNull("padding");
            w.WriteStartArray("added_tokens");
            foreach (AddedToken special in AddedTokens) special.WriteJson(w, withId: true);
            w.WriteEndArray();
            w.WriteNull("normalizer");
            w.WriteStartObject("pre_tokenizer");
            w.WriteString("type", "Split");
            w.WriteStartObject("pattern");
            w.WriteString("Regex", TokenizerJsonLoader.CharPiecePattern);
            w.WriteEndObject();
            w.WriteString("behavior", "Isolated");
            w.WriteBoolean("invert", false);
            w.WriteEndObject();
            w.WriteNull("post_processor");
            w.WriteStartObject("decoder");
            w.WriteString("type", "Fuse");
            w.WriteEndObject();
            w.WriteStartObject("model");
            w.WriteString("type", "WordLevel");
            w.WriteStartObject("vocab");
            for (int id = 0; id < _idToToken.Length; id++) w.WriteNumber(_idToToken[id], id);
            w.WriteEndObject();
            if (_unknownId is { } unk) w.WriteString("unk_token", _idToToken[unk]);
            else w.WriteNull("unk_token");
            w.WriteEndObject();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
