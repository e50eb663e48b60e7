// ByteLevelBpeTokenizer: the byte-level BPE pipeline of GPT-2, Qwen2/2.5/3 and Llama 3,
// assembled from the stages of tokenizer.json:
//   1. added-token split (AddedTokenSplitter, SpecialTokenPolicy)
//   2. normalizer (INormalizer: NFC for Qwen, none for GPT-2 / Llama 3)
//   3. regex pre-tokenizer (RegexPreTokenizer, by code point)
//   4. byte-level mapping (UTF-8 bytes; the vocabulary's byte-level alphabet, ByteLevelMap)
//   5. BPE by merge rank (BpeMerger) — or the whole word at once with `ignore_merges`
//   6. decoder: ids → bytes → UTF-8 (ByteLevel decoder)
// Speed: each distinct pre-token is merged once and cached (pre-token text → ids + char spans);
// lookups use the span directly (alternate lookup, no substring), merges are looked up by id
// pair (no strings). The cache is bounded twice, by entries and by an estimate of the bytes its
// keys and arrays hold, so a long-running server fed long distinct words stops caching instead of
// growing. Encode never adds BOS/EOS (HF add_special_tokens=False).
// It is not a loader: TokenizerJsonLoader / GgufTokenizerLoader build it.
// Reference: HF tokenizers `tokenizer/mod.rs` (pipeline order), `models/bpe/model.rs`.
using ReasonRL.Text.Bpe;
using ReasonRL.Text.Normalization;
using ReasonRL.Text.PreTokenization;
using System.Buffers;
using System.Collections.Concurrent;

namespace ReasonRL.Text;

/// <summary>Byte-level BPE tokenizer (see the file header for the stages).</summary>
public sealed class ByteLevelBpeTokenizer : ITokenizer
{
    /// <summary>Distinct pre-tokens kept in the cache; past this, new words are merged but not stored.</summary>
    public const int MaxCacheEntries = 500_000;

    /// <summary>Estimated bytes the cache may hold (keys, id and span arrays, entry overhead); past
    /// this, new words are merged but not stored. 64 MiB holds about 500,000 typical English words.</summary>
    public const long MaxCacheBytes = 64L << 20;

    // Per-entry bytes beside the payload: the string and three array headers, the record and the
    // dictionary node (64-bit CLR, rounded up).
    private const int CacheEntryOverheadBytes = 160;

    private readonly BpeVocabulary _vocabulary;
    private readonly BpeMergeTable _merges;
    private readonly AddedTokenSplitter _splitter;
    private readonly INormalizer? _normalizer;
    private readonly RegexPreTokenizer _preTokenizer;
    private readonly bool _ignoreMerges;
    private readonly int? _unknownId;
    private readonly ConcurrentDictionary<string, CachedWord> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, CachedWord>.AlternateLookup<ReadOnlySpan<char>> _cacheBySpan;
    private int _cacheCount;
    private long _cacheBytes;

    /// <summary>Assembles the pipeline from its stages.</summary>
    public ByteLevelBpeTokenizer(BpeVocabulary vocabulary, BpeMergeTable merges, INormalizer? normalizer,
        RegexPreTokenizer preTokenizer, ByteLevelBpeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _vocabulary = vocabulary;
        _merges = merges;
        _normalizer = normalizer;
        _preTokenizer = preTokenizer;
        _ignoreMerges = options.IgnoreMerges;
        _unknownId = options.UnknownId;
        _splitter = new AddedTokenSplitter(vocabulary.AddedTokens);
        _cacheBySpan = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
        Options = options;
    }

    /// <summary>Options it was built with (special ids, description).</summary>
    public ByteLevelBpeOptions Options { get; }

    /// <summary>The normalizer, or null.</summary>
    public INormalizer? Normalizer => _normalizer;

    /// <summary>The pre-tokenizer.</summary>
    public RegexPreTokenizer PreTokenizer => _preTokenizer;

    /// <summary>Number of merges.</summary>
    public int MergeCount => _merges.Count;

    /// <summary>The merge table (for tests of the merge loop).</summary>
    internal BpeMergeTable Merges => _merges;

    /// <summary>The vocabulary (for tests).</summary>
    internal BpeVocabulary Vocabulary => _vocabulary;

    /// <summary>Distinct pre-tokens currently cached.</summary>
    public int CacheCount => Volatile.Read(ref _cacheCount);

    /// <summary>Estimated bytes held by the cache (at most <see cref="MaxCacheBytes"/>).</summary>
    public long CacheBytes => Volatile.Read(ref _cacheBytes);

    public int VocabSize => _vocabulary.Size;

    public IReadOnlyList<int> EosIds => Options.EosIds;

    public int? BosId => Options.BosId;

    public int? PadId => Options.PadId;

    public IReadOnlyList<AddedToken> AddedTokens => _vocabulary.AddedTokens;

    public string IdToToken(int id)
    {
        CheckId(id, 0);
        return _vocabulary.Token(id);
    }

    public int? TokenToId(string token) => _vocabulary.TokenToIdMap.TryGetValue(token, out int id) ? id : null;

    public bool IsSpecial(int id)
    {
        CheckId(id, 0);
        return _vocabulary.IsSpecial(id);
    }

    /// <summary>Drops every cached pre-token (for cold-cache measurements).</summary>
    public void ClearCache()
    {
        _cache.Clear();
        Volatile.Write(ref _cacheCount, 0);
        Volatile.Write(ref _cacheBytes, 0);
    }

    public TokenEncoding Encode(string text, SpecialTokenPolicy policy = SpecialTokenPolicy.Text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0) return TokenEncoding.Empty;
        var ids = new List<int>(text.Length / 3 + 4);
        var offsets = new List<TokenOffset>(text.Length / 3 + 4);
        var segments = new List<TextSegment>();
        if (_splitter.IsEmpty) segments.Add(new TextSegment(0, text.Length, -1));
        else _splitter.Split(text, policy, segments);
        var preTokens = new List<PreToken>();
        foreach (TextSegment segment in segments)
        {
            if (segment.IsAddedToken)
            {
                ids.Add(segment.TokenId);
                offsets.Add(new TokenOffset(segment.Start, segment.Start + segment.Length));
                continue;
            }
            string segmentText = segment.Length == text.Length ? text : text.Substring(segment.Start, segment.Length);
            NormalizedText normalized = _normalizer?.Normalize(segmentText) ?? new NormalizedText(segmentText);
            preTokens.Clear();
            _preTokenizer.Split(normalized.Text, preTokens);
            foreach (PreToken preToken in preTokens)
            {
                // One ASCII char is one byte, hence one token with nothing to merge: skip the cache
                // (Qwen cuts every digit apart, so these are a large share of all pre-tokens).
                if (preToken.Length == 1 && normalized.Text[preToken.Start] < 0x80 &&
                    _vocabulary.ByteId((byte)normalized.Text[preToken.Start]) is int single and >= 0)
                {
                    ids.Add(single);
                    TokenOffset one = normalized.ToInput(preToken.Start, preToken.Start + 1);
                    offsets.Add(new TokenOffset(segment.Start + one.Start, segment.Start + one.End));
                    continue;
                }
                CachedWord word = GetWord(normalized.Text.AsSpan(preToken.Start, preToken.Length));
                for (int k = 0; k < word.Ids.Length; k++)
                {
                    ids.Add(word.Ids[k]);
                    TokenOffset input = normalized.ToInput(preToken.Start + word.Starts[k], preToken.Start + word.Ends[k]);
                    offsets.Add(new TokenOffset(segment.Start + input.Start, segment.Start + input.End));
                }
            }
        }
        return new TokenEncoding(ids.ToArray(), offsets.ToArray());
    }

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = false)
    {
        int total = 0;
        for (int i = 0; i < ids.Length; i++)
        {
            CheckId(ids[i], i);
            if (!(skipSpecialTokens && _vocabulary.IsSpecial(ids[i]))) total += _vocabulary.Bytes(ids[i]).Length;
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(total, 1));
        try
        {
            int length = 0;
            foreach (int id in ids)
            {
                if (skipSpecialTokens && _vocabulary.IsSpecial(id)) continue;
                byte[] bytes = _vocabulary.Bytes(id);
                bytes.CopyTo(buffer.AsSpan(length));
                length += bytes.Length;
            }
            // Invalid UTF-8 (a sequence cut inside a character) decodes to U+FFFD, like HF's
            // from_utf8_lossy; .NET replaces each maximal invalid subpart, as Rust does.
            return System.Text.Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // The ids and char spans (relative to the word) of one pre-token, cached.
    private CachedWord GetWord(ReadOnlySpan<char> word)
    {
        if (_cacheBySpan.TryGetValue(word, out CachedWord? cached)) return cached;
        CachedWord computed = ComputeWord(word);
        // key chars (2 bytes each) + Ids, Starts, Ends (4 bytes per id each) + overhead
        long bytes = 2L * word.Length + 12L * computed.Ids.Length + CacheEntryOverheadBytes;
        // Reserve the bytes first so concurrent adders cannot overshoot the bound together.
        if (Volatile.Read(ref _cacheCount) >= MaxCacheEntries) return computed;
        if (Interlocked.Add(ref _cacheBytes, bytes) <= MaxCacheBytes && _cacheBySpan.TryAdd(word, computed))
        {
            Interlocked.Increment(ref _cacheCount);
            return computed;
        }
        Interlocked.Add(ref _cacheBytes, -bytes);   // not stored: give the reservation back
        return computed;
    }

    private CachedWord ComputeWord(ReadOnlySpan<char> word)
    {
        int byteCount = System.Text.Encoding.UTF8.GetByteCount(word);
        byte[] bytes = new byte[byteCount];
        System.Text.Encoding.UTF8.GetBytes(word, bytes);
        // Char span of each byte: a code point's bytes all map to the code point's chars.
        var byteCharStart = new int[byteCount];
        var byteCharEnd = new int[byteCount];
        int b = 0;
        for (int c = 0; c < word.Length;)
        {
            int chars = char.IsHighSurrogate(word[c]) && c + 1 < word.Length && char.IsLowSurrogate(word[c + 1]) ? 2 : 1;
            int n = chars == 2 ? 4 : Utf8Length(word[c]);
            for (int k = 0; k < n; k++)
            {
                byteCharStart[b + k] = c;
                byteCharEnd[b + k] = c + chars;
            }
            b += n;
            c += chars;
        }

        if (_ignoreMerges && _vocabulary.TokenToIdMap.TryGetValue(ByteLevelMap.Encode(bytes), out int whole))
        {
            return new CachedWord([whole], [0], [word.Length]);
        }

        var symbols = new int[byteCount];
        for (int i = 0; i < byteCount; i++)
        {
            int id = _vocabulary.ByteId(bytes[i]);
            if (id < 0)
            {
                // A property of the tokenizer file (found by the loader fuzz test), so its typed error.
                id = _unknownId ?? throw new TokenizerFormatException(Options.Description,
                    $"byte 0x{bytes[i]:X2} has no token in the vocabulary and the model " +
                    "defines no unk_token; a byte-level vocabulary must contain all 256 byte tokens");
            }
            symbols[i] = id;
        }
        var ids = new int[byteCount];
        var starts = new int[byteCount];
        int count = BpeMerger.Merge(symbols, _merges, ids, starts);
        var tokenIds = new int[count];
        var charStarts = new int[count];
        var charEnds = new int[count];
        for (int k = 0; k < count; k++)
        {
            int lastByte = (k + 1 < count ? starts[k + 1] : byteCount) - 1;
            tokenIds[k] = ids[k];
            charStarts[k] = byteCharStart[starts[k]];
            charEnds[k] = byteCharEnd[lastByte];
        }
        return new CachedWord(tokenIds, charStarts, charEnds);
    }

    // UTF-8 length of a BMP char (a lone surrogate is encoded as U+FFFD: 3 bytes).
    private static int Utf8Length(char c) => c < 0x80 ? 1 : c < 0x800 ? 2 : 3;

    private void CheckId(int id, int index)
    {
        if ((uint)id >= (uint)_vocabulary.Size)
        {
            throw new ArgumentOutOfRangeException(nameof(id),
                $"token id {id} at index {index} is outside [0, {_vocabulary.Size}) for {Options.Description}");
        }
    }

    private sealed record CachedWord(int[] Ids, int[] Starts, int[] Ends);
}

/// <summary>Settings of a byte-level BPE tokenizer that are not pipeline stages.</summary>
/// <param name="Description">Where it came from, for messages (e.g. "qwen3-tokenizer.json.gz").</param>
/// <param name="IgnoreMerges">HF `ignore_merges`: a pre-token that is itself a vocabulary entry becomes that one token.</param>
/// <param name="UnknownId">Id used for a byte without a token (null: such a byte is an error).</param>
/// <param name="BosId">Beginning-of-sequence id, if the model has one.</param>
/// <param name="EosIds">End-of-generation ids.</param>
/// <param name="PadId">Padding id, if any.</param>
public sealed record ByteLevelBpeOptions(
    string Description,
    bool IgnoreMerges = false,
    int? UnknownId = null,
    int? BosId = null,
    IReadOnlyList<int>? EosIds = null,
    int? PadId = null)
{
    /// <summary>End-of-generation ids (never null).</summary>
    public IReadOnlyList<int> EosIds { get; init; } = EosIds ?? [];
}
