// BpeMerger: the merge loop of byte-level BPE for one pre-token ("word").
// Semantics (both versions): repeatedly take the adjacent pair with the lowest merge rank,
// leftmost on ties, and merge that one occurrence; stop when no adjacent pair has a merge.
// `MergeReference` states it as plain loops (O(n²), minbpe style); `Merge` is the
// priority-queue version (O(n log n), HF `Word::merge_all`, ML.Tokenizers `Word`): a queue of
// (rank, position) candidates, stale entries skipped by re-checking the pair still merges to
// the same id. Tests run both on random words and on the real Qwen/GPT-2 merge tables.
// It is not the cache or the pre-tokenizer (ByteLevelBpeTokenizer.cs).
namespace ReasonRL.Text.Bpe;

/// <summary>Merges a sequence of symbol ids by rank.</summary>
public static class BpeMerger
{
    /// <summary>Reference merge loop (plain loops, O(n²)); same contract as <see cref="Merge"/>.</summary>
    public static int MergeReference(ReadOnlySpan<int> symbols, BpeMergeTable merges,
        Span<int> ids, Span<int> starts)
    {
        var current = new List<(int Id, int Start)>(symbols.Length);
        for (int i = 0; i < symbols.Length; i++) current.Add((symbols[i], i));
        while (true)
        {
            int best = -1;
            MergeEntry bestEntry = default;
            for (int i = 0; i + 1 < current.Count; i++)
            {
                // Strictly lower rank wins, so the leftmost pair wins ties.
                if (merges.TryGet(current[i].Id, current[i + 1].Id, out MergeEntry e) &&
                    (best < 0 || e.Rank < bestEntry.Rank))
                {
                    best = i;
                    bestEntry = e;
                }
            }
            if (best < 0) break;
            current[best] = (bestEntry.MergedId, current[best].Start);
            current.RemoveAt(best + 1);
        }
        for (int i = 0; i < current.Count; i++)
        {
            ids[i] = current[i].Id;
            starts[i] = current[i].Start;
        }
        return current.Count;
    }

    /// <summary>
    /// Merges <paramref name="symbols"/> (one id per initial symbol, symbol i starting at unit i)
    /// and writes the resulting ids and each result's first initial-symbol index.
    /// </summary>
    /// <param name="symbols">Initial symbol ids [n] (for byte-level BPE: one per UTF-8 byte).</param>
    /// <param name="merges">Merge table.</param>
    /// <param name="ids">Output token ids, at least [n].</param>
    /// <param name="starts">Output index of each token's first initial symbol, at least [n].</param>
    /// <returns>The number of tokens written.</returns>
    public static int Merge(ReadOnlySpan<int> symbols, BpeMergeTable merges, Span<int> ids, Span<int> starts)
    {
        int n = symbols.Length;
        if (n == 0) return 0;
        if (n == 1)
        {
            ids[0] = symbols[0];
            starts[0] = 0;
            return 1;
        }
        // Doubly linked list over positions; a merged-away position gets alive = false.
        var id = symbols.ToArray();
        var next = new int[n];
        var prev = new int[n];
        var alive = new bool[n];
        for (int i = 0; i < n; i++)
        {
            next[i] = i + 1 < n ? i + 1 : -1;
            prev[i] = i - 1;
            alive[i] = true;
        }
        // Priority = rank * 2^32 + position: lowest rank first, leftmost on ties.
        var queue = new PriorityQueue<(int Pos, int MergedId), long>(n);
        for (int i = 0; i + 1 < n; i++) Enqueue(queue, merges, id, i, i + 1);

        while (queue.TryDequeue(out var top, out _))
        {
            int pos = top.Pos;
            if (!alive[pos] || next[pos] < 0) continue;
            int right = next[pos];
            // Stale candidate: the pair at pos changed since it was queued.
            if (!merges.TryGet(id[pos], id[right], out MergeEntry now) || now.MergedId != top.MergedId) continue;
            id[pos] = top.MergedId;
            alive[right] = false;
            next[pos] = next[right];
            if (next[pos] >= 0) prev[next[pos]] = pos;
            if (prev[pos] >= 0) Enqueue(queue, merges, id, prev[pos], pos);
            if (next[pos] >= 0) Enqueue(queue, merges, id, pos, next[pos]);
        }

        int count = 0;
        for (int i = 0; i >= 0; i = next[i])
        {
            ids[count] = id[i];
            starts[count] = i;
            count++;
        }
        return count;
    }

    private static void Enqueue(PriorityQueue<(int, int), long> queue, BpeMergeTable merges, int[] id, int left, int right)
    {
        if (merges.TryGet(id[left], id[right], out MergeEntry e))
        {
            queue.Enqueue((left, e.MergedId), ((long)e.Rank << 32) | (uint)left);
        }
    }
}
