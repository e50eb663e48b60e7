// DecodeWeights: the transformer's projection matrices and LM head repacked (PackedMatrix strips) for
// the batched decode step, tagged with the KvCache epoch they were packed for.
// Why per cache epoch: a cache's keys/values are only valid for the weights that wrote them, so a
// generation (fresh or Reset cache) is the natural unit — weights that change between generations
// (an RL update) are repacked at the next generation's first decode step; packing costs one pass over
// the weights, about one decode step's weight traffic.
// What it is not: a copy that tracks in-place weight edits made in the middle of a generation.
// Glossary: C width, H·D query width, Hkv·D kv width, F SwiGLU width, V vocab.
using ReasonRL.Tensors;

namespace ReasonRL.Models;

/// <summary>Packed q, k, v, o, gate, up, down of every layer and the LM head (see file header).</summary>
internal sealed class DecodeWeights : IDisposable
{
    /// <summary>Packed matrices of one layer: Wq [H·D, C], Wk/Wv [Hkv·D, C], Wo [C, H·D], Wgate/Wup [F, C], Wdown [C, F].</summary>
    public sealed record Layer(PackedMatrix Q, PackedMatrix K, PackedMatrix V, PackedMatrix O, PackedMatrix Gate, PackedMatrix Up, PackedMatrix Down);

    private readonly ParameterLayout _layout;

    public Layer[] Layers { get; }

    /// <summary>LM head W [V, C] (the embedding when tied).</summary>
    public PackedMatrix LmHead { get; }

    /// <summary>The <see cref="KvCache.Epoch"/> the weights were last packed for (0 = never packed).</summary>
    public long Epoch { get; private set; }

    public DecodeWeights(ModelConfig config, ParameterLayout layout)
    {
        _layout = layout;
        int c = config.HiddenSize, qd = config.QueryDim, kd = config.KvDim, f = config.IntermediateSize;
        Layers = new Layer[config.LayerCount];
        for (int l = 0; l < Layers.Length; l++)
            Layers[l] = new Layer(new PackedMatrix(qd, c), new PackedMatrix(kd, c), new PackedMatrix(kd, c), new PackedMatrix(c, qd),
                new PackedMatrix(f, c), new PackedMatrix(f, c), new PackedMatrix(c, f));
        LmHead = new PackedMatrix(config.VocabSize, c);
    }

    /// <summary>Floats a packed copy holds: every layer's q, k, v, o, gate, up, down plus the LM head.</summary>
    public static long FloatCount(ModelConfig c) =>
        (long)c.LayerCount * ((long)c.HiddenSize * c.QueryDim * 2 + (long)c.HiddenSize * c.KvDim * 2 + 3L * c.HiddenSize * c.IntermediateSize)
        + (long)c.VocabSize * c.HiddenSize;

    /// <summary>Repacks every matrix from <paramref name="parameters"/> unless already packed for <paramref name="epoch"/>.</summary>
    public void EnsurePacked(NativeSlab parameters, long epoch)
    {
        if (Epoch == epoch) return;
        var jobs = new List<(PackedMatrix Packed, SlabEntry Entry)> { (LmHead, _layout.LmHead) };
        for (int l = 0; l < Layers.Length; l++)
        {
            var (p, w) = (Layers[l], _layout.Layers[l]);
            jobs.AddRange([(p.Q, w.QWeight), (p.K, w.KWeight), (p.V, w.VWeight), (p.O, w.OWeight), (p.Gate, w.GateWeight), (p.Up, w.UpWeight), (p.Down, w.DownWeight)]);
        }
        Parallel.ForEach(jobs, job => job.Packed.Pack(parameters.View(job.Entry)));
        Epoch = epoch;
    }

    public void Dispose()
    {
        foreach (var l in Layers)
            foreach (var m in new[] { l.Q, l.K, l.V, l.O, l.Gate, l.Up, l.Down }) m.Dispose();
        LmHead.Dispose();
    }
}
