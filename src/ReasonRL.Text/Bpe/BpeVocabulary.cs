// BpeVocabulary: id ↔ token string and id → bytes for a byte-level BPE model plus its added
// tokens, and the 256-entry byte → id table the merge loop starts from.
// It is not the merge table (BpeMergeTable.cs) nor a file parser (Loading/).
// Reference: HF tokenizers `bpe/model.rs` (vocab, vocab_r), `added_vocabulary.rs`.
using System.Text;

namespace ReasonRL.Text.Bpe;

/// <summary>The vocabulary of a byte-level BPE tokenizer.</summary>
public sealed class BpeVocabulary
{
    private readonly string[] _idToToken;   // [V] vocabulary string (byte-level form; added tokens literal)
    private readonly byte[][] _idToBytes;   // [V] bytes the id decodes to
    private readonly bool[] _isSpecial;     // [V]
    private readonly int[] _byteToId = new int[256]; // id of each single byte's token, -1 if absent

    /// <summary>Builds the vocabulary.</summary>
    /// <param name="tokens">Regular tokens (byte-level strings) → id.</param>
    /// <param name="addedTokens">Added tokens; their ids may coincide with regular ones (they win).</param>
    /// <param name="source">File name for error messages.</param>
    public BpeVocabulary(IReadOnlyDictionary<string, int> tokens, IReadOnlyList<AddedToken> addedTokens, string source)
    {
        // Ids index arrays sized by the largest one, so each is bounded by the file's own entry
        // count first: holes are legal, but a 60-byte file cannot ask for a 2-billion-entry table.
        long entries = (long)tokens.Count + addedTokens.Count;
        int size = 0;
        foreach ((string token, int id) in tokens)
        {
            if (id < 0 || id >= entries)
                throw new TokenizerFormatException(source, $"vocabulary entry \"{token}\" has id {id}; expected 0 ≤ id < {entries} (the number of vocabulary and added-token entries)");
            size = Math.Max(size, id + 1);
        }
        for (int i = 0; i < addedTokens.Count; i++)
        {
            AddedToken t = addedTokens[i];
            if (t.Id < 0 || t.Id >= entries)
                throw new TokenizerFormatException(source, $"added_tokens[{i}].id is {t.Id}; expected 0 ≤ id < {entries} (the number of vocabulary and added-token entries)");
            size = Math.Max(size, t.Id + 1);
        }
        _idToToken = new string[size];
        _idToBytes = new byte[size][];
        _isSpecial = new bool[size];
        var tokenToId = new Dictionary<string, int>(tokens.Count + addedTokens.Count, StringComparer.Ordinal);
        foreach ((string token, int id) in tokens)
        {
            _idToToken[id] = token;
            // A regular token outside the byte-level alphabet (rare; e.g. a hand-added word) decodes as its UTF-8.
            _idToBytes[id] = ByteLevelMap.TryDecode(token) ?? Encoding.UTF8.GetBytes(token);
            tokenToId[token] = id;
        }
        foreach (AddedToken t in addedTokens)
        {
            _idToToken[t.Id] = t.Content;
            _idToBytes[t.Id] = Encoding.UTF8.GetBytes(t.Content);
            _isSpecial[t.Id] = t.Special;
            tokenToId[t.Content] = t.Id;
        }
        for (int id = 0; id < size; id++)
        {
            if (_idToToken[id] is null)
            {
                // Holes are legal in tokenizer.json (ids skipped); they decode to nothing.
                _idToToken[id] = "";
                _idToBytes[id] = [];
            }
        }
        for (int b = 0; b < 256; b++)
        {
            _byteToId[b] = tokens.TryGetValue(ByteLevelMap.ByteToChar((byte)b).ToString(), out int id) ? id : -1;
        }
        AddedTokens = addedTokens.ToArray();
        TokenToIdMap = tokenToId;
    }

    /// <summary>Number of ids.</summary>
    public int Size => _idToToken.Length;

    /// <summary>Added tokens.</summary>
    public IReadOnlyList<AddedToken> AddedTokens { get; }

    /// <summary>Token string → id (regular and added).</summary>
    public IReadOnlyDictionary<string, int> TokenToIdMap { get; }

    /// <summary>Vocabulary string of an id.</summary>
    public string Token(int id) => _idToToken[id];

    /// <summary>Bytes an id decodes to.</summary>
    public byte[] Bytes(int id) => _idToBytes[id];

    /// <summary>True for special (control) added tokens.</summary>
    public bool IsSpecial(int id) => _isSpecial[id];

    /// <summary>Id of the single-byte token for <paramref name="b"/>, or -1.</summary>
    public int ByteId(byte b) => _byteToId[b];
}
