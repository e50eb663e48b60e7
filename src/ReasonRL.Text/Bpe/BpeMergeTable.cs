// BpeMergeTable: merge ranks keyed by the *ids* of the two parts, so the merge loop looks up
// (leftId, rightId) → (rank, mergedId) with one long-keyed dictionary probe and never builds a
// string. Rank = position in the merges list (lower merges first).
// It is not the merge loop (BpeMerger.cs) nor the file parser (Loading/).
// Reference: HF tokenizers `bpe/model.rs` (merges map `(u32, u32) → (rank, new_id)`).
namespace ReasonRL.Text.Bpe;

/// <summary>One merge: its rank and the id of the merged token.</summary>
public readonly record struct MergeEntry(int Rank, int MergedId);

/// <summary>Id-pair → merge lookup.</summary>
public sealed class BpeMergeTable
{
    private readonly Dictionary<long, MergeEntry> _merges;

    private BpeMergeTable(Dictionary<long, MergeEntry> merges) => _merges = merges;

    /// <summary>Number of merges.</summary>
    public int Count => _merges.Count;

    /// <summary>Builds the table from merges given as (left, right) vocabulary strings in rank order.</summary>
    /// <param name="merges">Merges, rank = index.</param>
    /// <param name="vocab">Vocabulary string → id.</param>
    /// <param name="source">File name for error messages.</param>
    public static BpeMergeTable Build(IReadOnlyList<(string Left, string Right)> merges,
        IReadOnlyDictionary<string, int> vocab, string source)
    {
        var table = new Dictionary<long, MergeEntry>(merges.Count, PairKeyComparer.Instance);
        for (int rank = 0; rank < merges.Count; rank++)
        {
            (string left, string right) = merges[rank];
            int leftId = Lookup(left, rank, source, vocab);
            int rightId = Lookup(right, rank, source, vocab);
            int mergedId = Lookup(left + right, rank, source, vocab);
            // A pair listed twice keeps its last rank: HF collects the ranked list into a hash
            // map, so later entries overwrite earlier ones. Mirror that to stay exact.
            table[Key(leftId, rightId)] = new MergeEntry(rank, mergedId);
        }
        return new BpeMergeTable(table);
    }

    /// <summary>The merge of (left, right), if any.</summary>
    public bool TryGet(int leftId, int rightId, out MergeEntry entry) =>
        _merges.TryGetValue(Key(leftId, rightId), out entry);

    private static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    // long.GetHashCode is hi ^ lo, i.e. left ^ right here: (a, b) and (b, a), and every pair with
    // the same xor, collide, which made lookups in the 151k-merge Qwen table several times slower.
    // Fibonacci hashing mixes both halves.
    private sealed class PairKeyComparer : IEqualityComparer<long>
    {
        public static readonly PairKeyComparer Instance = new();

        public bool Equals(long x, long y) => x == y;

        public int GetHashCode(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> 32);
    }

    private static int Lookup(string token, int rank, string source, IReadOnlyDictionary<string, int> vocab)
    {
        if (vocab.TryGetValue(token, out int id)) return id;
        throw new TokenizerFormatException(source,
            $"merge #{rank} (0-based) uses \"{token}\", which is not in the vocabulary; every merge's " +
            "left part, right part and their concatenation must be vocabulary entries");
    }
}
