// KvCache: per-layer keys and values of B sequences for incremental decoding, in one native slab.
// What it is: keys/values [B, S, Hkv·D] per layer (post-RoPE keys, as attention reads them) and each
// sequence's filled length. Appending is two-phase: a layer forward appends at the current length
// (PendingLengths = length + new tokens is what attention reads), and Commit advances the lengths
// once every layer has run. What it is not: paged, or shared across models.
// Glossary: B sequences, S capacity (max positions), Hkv kv heads, D head dim, L layers.
using ReasonRL.Tensors;

namespace ReasonRL.Models;

/// <summary>Keys and values of every layer for B sequences of up to S positions.</summary>
public sealed class KvCache : IDisposable
{
    private readonly NativeSlab _slab;
    private readonly SlabEntry[] _keys, _values;
    private readonly int _kvDim;
    private readonly int[] _lengths, _pending;

    private static long s_nextEpoch;

    public int Batch { get; }
    public int Capacity { get; }

    /// <summary>
    /// Identifies the cache's current contents: a new value at construction and at every
    /// <see cref="Reset"/>. Contents are only valid for the weights that wrote them, so the transformer
    /// keys its per-generation packed weights on this (repacked once per new epoch).
    /// </summary>
    public long Epoch { get; private set; } = Interlocked.Increment(ref s_nextEpoch);

    /// <summary>Filled positions of each sequence [B].</summary>
    public ReadOnlySpan<int> Lengths => _lengths;

    /// <summary>Lengths including the tokens appended by the forward in progress [B].</summary>
    public ReadOnlySpan<int> PendingLengths => _pending;

    public KvCache(ModelConfig config, int batch, int capacity)
    {
        if (batch < 1 || capacity < 1) throw new ArgumentException($"kv cache: batch and capacity must be >= 1, got {batch}, {capacity}");
        if (capacity > config.MaxPositionEmbeddings) throw new ArgumentException($"kv cache: capacity {capacity} exceeds max_position_embeddings {config.MaxPositionEmbeddings}");
        Batch = batch;
        Capacity = capacity;
        _kvDim = config.KvDim;
        var layout = new SlabLayout();
        _keys = new SlabEntry[config.LayerCount];
        _values = new SlabEntry[config.LayerCount];
        for (int l = 0; l < config.LayerCount; l++)
        {
            _keys[l] = layout.Add($"l{l}.keys", batch, capacity, _kvDim);
            _values[l] = layout.Add($"l{l}.values", batch, capacity, _kvDim);
        }
        _slab = new NativeSlab(layout);
        _lengths = new int[batch];
        _pending = new int[batch];
    }

    /// <summary>Keys of a layer [B, S, Hkv·D].</summary>
    public Span<float> Keys(int layer) => _slab.View(_keys[layer]);

    /// <summary>Values of a layer [B, S, Hkv·D].</summary>
    public Span<float> Values(int layer) => _slab.View(_values[layer]);

    /// <summary>Forgets every sequence (lengths back to 0); memory is reused.</summary>
    public void Reset()
    {
        Array.Clear(_lengths);
        Array.Clear(_pending);
        Epoch = Interlocked.Increment(ref s_nextEpoch);
    }

    /// <summary>Positions of the next <paramref name="tokens"/> tokens of each sequence, [B, tokens] row-major.</summary>
    public void NextPositions(int tokens, Span<int> positions)
    {
        for (int b = 0; b < Batch; b++)
        {
            if (_lengths[b] + tokens > Capacity) throw new InvalidOperationException($"kv cache: sequence {b} would reach {_lengths[b] + tokens} positions, capacity is {Capacity}");
            for (int t = 0; t < tokens; t++) positions[b * tokens + t] = _lengths[b] + t;
        }
    }

    /// <summary>Writes keys/values [B, tokens, Hkv·D] of one layer at each sequence's current length.</summary>
    public void Append(int layer, ReadOnlySpan<float> keys, ReadOnlySpan<float> values, int tokens) =>
        Append(layer, keys, values, tokens, 0, Batch);

    /// <summary>
    /// Writes keys/values [count, tokens, Hkv·D] of sequences [first, first + count) of one layer at each
    /// one's current length (disjoint sequence ranges may be appended from different threads).
    /// </summary>
    public void Append(int layer, ReadOnlySpan<float> keys, ReadOnlySpan<float> values, int tokens, int first, int count)
    {
        if (first < 0 || count < 0 || first + count > Batch) throw new ArgumentOutOfRangeException(nameof(first), $"kv cache: sequences [{first}, {first + count}) outside [0, {Batch})");
        var kc = Keys(layer);
        var vc = Values(layer);
        for (int b = first; b < first + count; b++)
        {
            int dst = (b * Capacity + _lengths[b]) * _kvDim, src = (b - first) * tokens * _kvDim, len = tokens * _kvDim;
            keys.Slice(src, len).CopyTo(kc.Slice(dst, len));
            values.Slice(src, len).CopyTo(vc.Slice(dst, len));
            _pending[b] = _lengths[b] + tokens;
        }
    }

    /// <summary>
    /// Copies the filled positions of sequence <paramref name="sourceIndex"/> of <paramref name="source"/>
    /// into slot <paramref name="destinationIndex"/> of this cache and sets that slot's length (used to
    /// prefill prompts of different lengths one by one, then decode them together).
    /// </summary>
    public void CopySequenceFrom(KvCache source, int sourceIndex, int destinationIndex)
    {
        if (source._kvDim != _kvDim || source._keys.Length != _keys.Length) throw new ArgumentException("kv cache: source cache has a different model shape (layers or kv width)");
        if ((uint)sourceIndex >= (uint)source.Batch) throw new ArgumentOutOfRangeException(nameof(sourceIndex), $"kv cache: source index {sourceIndex} not in [0, {source.Batch})");
        if ((uint)destinationIndex >= (uint)Batch) throw new ArgumentOutOfRangeException(nameof(destinationIndex), $"kv cache: destination index {destinationIndex} not in [0, {Batch})");
        int len = source._lengths[sourceIndex];
        if (len > Capacity) throw new ArgumentException($"kv cache: source sequence has {len} positions, capacity is {Capacity}");
        for (int l = 0; l < _keys.Length; l++)
        {
            int src = sourceIndex * source.Capacity * _kvDim, dst = destinationIndex * Capacity * _kvDim, n = len * _kvDim;
            source.Keys(l).Slice(src, n).CopyTo(Keys(l).Slice(dst, n));
            source.Values(l).Slice(src, n).CopyTo(Values(l).Slice(dst, n));
        }
        _lengths[destinationIndex] = _pending[destinationIndex] = len;
    }

    /// <summary>Makes the appended tokens part of the cache (after the last layer).</summary>
    public void Commit() => _pending.CopyTo(_lengths.AsSpan());

    public void Dispose() => _slab.Dispose();
}
