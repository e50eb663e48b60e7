// RewardModel: a learned reward model = a Transformer backbone plus one head read at chosen token
// positions — PrmHead (process reward model, 2 classes, Qwen2.5-Math-PRM layout) or ScalarHead (outcome
// reward model). Both reduce to one logit per scored position:
//   PRM: l = z₁ − z₀ (so P(positive) = softmax(z)[1] = σ(l));   ORM: l = w·h (+ b), P(correct) = σ(l).
// It offers batched scoring (right-padded micro-batches; causal attention makes padding invisible to the
// real tokens), a training forward/backward at gathered rows for the trainer, and Save/Load as a Hugging
// Face directory (RewardModel.Checkpoint.cs).
// What it is not: step segmentation or input building (ReasonRL.Rewards RewardModelInputs), the trainer
// (ReasonRL.Training RewardModels), or a Math-Shepherd-style LM-head PRM's training (only its scoring:
// ScorePairLogits reads the LM head's +/− logits).
// Glossary: B sequences, T padded length, N = B·T rows, M gathered rows, C width.
using ReasonRL.Tensors;

namespace ReasonRL.Models;

/// <summary>Which head a reward model carries.</summary>
public enum RewardModelKind
{
    /// <summary>Process reward model: PrmHead, one P(step positive) per scored position.</summary>
    Prm,

    /// <summary>Outcome reward model: ScalarHead, σ(score) at the last token.</summary>
    Orm,
}

/// <summary>Backbone Transformer + PrmHead (PRM) or ScalarHead (ORM); see the file header.</summary>
public sealed partial class RewardModel : IDisposable
{
    /// <summary>Most tokens (B · T, padding included) in one scoring micro-batch.</summary>
    public const int DefaultScoreBatchTokens = 4096;

    // Training forward state, consumed by BackwardLogits.
    private int[] _rows = [];
    private float[] _hiddenRows = [];
    private float[] _dHiddenRows = [];
    private float[] _dHead = [];
    private float[] _dHidden = [];
    private int _trainRows = -1;

    private RewardModel(RewardModelKind kind, Transformer backbone, PrmHead? prm, ScalarHead? orm)
    {
        Kind = kind;
        Backbone = backbone;
        Prm = prm;
        Orm = orm;
    }

    public RewardModelKind Kind { get; }

    public Transformer Backbone { get; }

    /// <summary>The PRM head (Kind == Prm), else null.</summary>
    public PrmHead? Prm { get; }

    /// <summary>The ORM head (Kind == Orm), else null.</summary>
    public ScalarHead? Orm { get; }

    /// <summary>Most tokens (B · T) per scoring micro-batch; default <see cref="DefaultScoreBatchTokens"/>.</summary>
    public int ScoreBatchTokens { get; set; } = DefaultScoreBatchTokens;

    /// <summary>The head's parameters (PrmHead or ScalarHead slab).</summary>
    public NativeSlab HeadParameters => Prm?.Parameters ?? Orm!.Parameters;

    /// <summary>The head's gradients (same layout as <see cref="HeadParameters"/>).</summary>
    public NativeSlab HeadGradients => Prm?.Gradients ?? Orm!.Gradients;

    /// <summary>The head's slab layout (HF tensor names).</summary>
    public SlabLayout HeadLayout => Prm?.Layout ?? Orm!.Layout;

    /// <summary>A reward model over <paramref name="backbone"/> (ownership passes to the model) with a
    /// freshly initialised head: PRM → PrmHead ("score.0/2.*"), ORM → ScalarHead "score.weight" (no bias,
    /// as HF *ForSequenceClassification names it).</summary>
    public static RewardModel Create(RewardModelKind kind, Transformer backbone, int headSeed)
    {
        ArgumentNullException.ThrowIfNull(backbone);
        int c = backbone.Config.HiddenSize;
        if (kind == RewardModelKind.Prm)
        {
            var head = new PrmHead(c, backbone.Gemm);
            head.InitializeRandom(headSeed);
            return new RewardModel(kind, backbone, head, null);
        }
        var scalar = new ScalarHead(c, OrmPrefix);
        scalar.InitializeRandom(headSeed);
        return new RewardModel(kind, backbone, null, scalar);
    }

    /// <summary>A copy of this model with <paramref name="extraLayers"/> identity-initialised decoder layers on top of its
    /// backbone (Transformer.WithExtraLayers) and its head as it is: the same tensors (names, ORM prefix and bias) and
    /// values. This model is left unchanged.</summary>
    public RewardModel WithExtraLayers(int extraLayers, int seed)
    {
        var backbone = Backbone.WithExtraLayers(extraLayers, seed);
        int c = backbone.Config.HiddenSize;
        RewardModel grown;
        if (Prm is not null)
        {
            grown = new RewardModel(Kind, backbone, new PrmHead(c, backbone.Gemm), null);
        }
        else
        {
            string prefix = Orm!.Layout.Entries[0].Name[..^".weight".Length];
            grown = new RewardModel(Kind, backbone, null, new ScalarHead(c, prefix, bias: Orm.Layout.Contains(prefix + ".bias")));
        }
        foreach (var e in HeadLayout.Entries) HeadParameters.View(e).CopyTo(grown.HeadParameters.View(grown.HeadLayout[e.Name]));
        return grown;
    }

    /// <summary>Probabilities σ(l) at the given positions of each sequence (see <see cref="ScoreLogits"/>).</summary>
    public float[][] Score(IReadOnlyList<int[]> tokens, IReadOnlyList<int[]> positions)
    {
        var logits = ScoreLogits(tokens, positions);
        foreach (var row in logits)
        {
            for (int i = 0; i < row.Length; i++) row[i] = Sigmoid(row[i]);
        }
        return logits;
    }

    /// <summary>Head logits l (PRM: z₁ − z₀; ORM: the raw scalar score) for each sequence at its positions.</summary>
    /// <param name="tokens">[S] token id sequences (any lengths ≥ 1, at most max_position_embeddings).</param>
    /// <param name="positions">[S] for each sequence, indices in [0, length) to read (any order, repeats allowed).</param>
    /// <returns>[S][positions[s].Length].</returns>
    public float[][] ScoreLogits(IReadOnlyList<int[]> tokens, IReadOnlyList<int[]> positions) =>
        ScoreBatched(tokens, positions, (hidden, m) => HeadLogits(hidden, m));

    /// <summary>Math-Shepherd read-out: l = logit(+) − logit(−) of the backbone's LM head at each position
    /// (so softmax over the two = σ(l)); the head is not used.</summary>
    public float[][] ScorePairLogits(IReadOnlyList<int[]> tokens, IReadOnlyList<int[]> positions, int positiveId, int negativeId)
    {
        var cfg = Backbone.Config;
        if ((uint)positiveId >= (uint)cfg.VocabSize || (uint)negativeId >= (uint)cfg.VocabSize)
            throw new ArgumentException($"reward model: +/− token ids must be in [0, {cfg.VocabSize}), got {positiveId} / {negativeId}");
        return ScoreBatched(tokens, positions, (hidden, m) =>
        {
            int c = cfg.HiddenSize;
            var w = Backbone.Parameters.View(Backbone.Layout.LmHead);
            var plus = w.Slice(positiveId * c, c);
            var minus = w.Slice(negativeId * c, c);
            var result = new float[m];
            for (int r = 0; r < m; r++)
            {
                var h = hidden.Slice(r * c, c);
                result[r] = System.Numerics.Tensors.TensorPrimitives.Dot(h, plus) - System.Numerics.Tensors.TensorPrimitives.Dot(h, minus);
            }
            return result;
        });
    }

    private delegate float[] RowReader(ReadOnlySpan<float> hiddenRows, int rowCount);

    private float[][] ScoreBatched(IReadOnlyList<int[]> tokens, IReadOnlyList<int[]> positions, RowReader read)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(positions);
        if (tokens.Count != positions.Count)
            throw new ArgumentException($"reward model: {tokens.Count} sequence(s) but {positions.Count} position list(s)");
        for (int s = 0; s < tokens.Count; s++) CheckSequence(tokens[s], positions[s], s);
        var result = new float[tokens.Count][];
        // Longest first, so each micro-batch pads little; micro-batches hold ≤ ScoreBatchTokens tokens.
        var order = Enumerable.Range(0, tokens.Count).OrderByDescending(s => tokens[s].Length).ToArray();
        int start = 0;
        while (start < order.Length)
        {
            int t = tokens[order[start]].Length;
            int b = Math.Max(1, Math.Min(order.Length - start, ScoreBatchTokens / t));
            var members = order.AsSpan(start, b).ToArray();
            var (padded, rows) = Pack(members.Select(s => tokens[s]).ToList(), members.Select(s => positions[s]).ToList(), t);
            Backbone.Forward(padded, b, t);
            var hidden = GatherRows(rows);
            var logits = read(hidden, rows.Length);
            int offset = 0;
            foreach (int s in members)
            {
                result[s] = logits.AsSpan(offset, positions[s].Length).ToArray();
                offset += positions[s].Length;
            }
            start += b;
        }
        return result;
    }

    /// <summary>Training forward: the backbone over <paramref name="padded"/> [B, T], then the head at flat
    /// rows <paramref name="rows"/> [M] (row = b·T + position). Returns logits l [M]; keeps what
    /// <see cref="BackwardLogits"/> needs.</summary>
    public float[] ForwardLogits(ReadOnlySpan<int> padded, int batch, int tokenCount, int[] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (int r in rows)
        {
            if ((uint)r >= (uint)(batch * tokenCount)) throw new ArgumentException($"reward model: row {r} outside [0, {batch * tokenCount})");
        }
        Backbone.Forward(padded, batch, tokenCount);
        GatherRows(rows);
        _rows = rows;
        _trainRows = rows.Length;
        return HeadLogits(_hiddenRows.AsSpan(0, rows.Length * Backbone.Config.HiddenSize), rows.Length);
    }

    /// <summary>Backward from dL/dl [M] of the last <see cref="ForwardLogits"/>: accumulates the head's and the
    /// backbone's gradients (call Backbone.ZeroGradients and HeadGradients.Clear first).</summary>
    public void BackwardLogits(ReadOnlySpan<float> dLogits)
    {
        int m = _trainRows;
        if (m < 0) throw new InvalidOperationException("reward model: BackwardLogits needs a ForwardLogits first");
        if (dLogits.Length != m) throw new ArgumentException($"reward model: dLogits has {dLogits.Length} values, expected {m}");
        int c = Backbone.Config.HiddenSize;
        var hidden = _hiddenRows.AsSpan(0, m * c);
        if (_dHiddenRows.Length < m * c) _dHiddenRows = new float[m * c];
        var dRows = _dHiddenRows.AsSpan(0, m * c);
        dRows.Clear();
        if (Prm is not null)
        {
            if (_dHead.Length < m * PrmHead.Classes) _dHead = new float[m * PrmHead.Classes];
            for (int r = 0; r < m; r++)
            {
                _dHead[r * 2] = -dLogits[r];   // l = z₁ − z₀
                _dHead[r * 2 + 1] = dLogits[r];
            }
            Prm.Backward(hidden, _dHead.AsSpan(0, m * PrmHead.Classes), dRows);
        }
        else
        {
            Orm!.Backward(hidden, dLogits, m, dRows);
        }
        var a = Backbone.Activations;
        int n = a.Rows;
        if (_dHidden.Length != n * c) _dHidden = new float[n * c];
        _dHidden.AsSpan().Clear();
        for (int r = 0; r < m; r++)
        {
            var target = _dHidden.AsSpan(_rows[r] * c, c);
            System.Numerics.Tensors.TensorPrimitives.Add(target, dRows.Slice(r * c, c), target);
        }
        Backbone.Backward(_dHidden);
        _trainRows = -1;
    }

    private float[] HeadLogits(ReadOnlySpan<float> hidden, int m)
    {
        var result = new float[m];
        if (m == 0) return result;
        if (Prm is not null)
        {
            var z = Prm.Forward(hidden, m);
            for (int r = 0; r < m; r++) result[r] = z[r * 2 + 1] - z[r * 2];
        }
        else
        {
            Orm!.Forward(hidden, m).CopyTo(result);
        }
        return result;
    }

    /// <summary>Copies hidden rows [M, C] of the last backbone forward into the gather buffer.</summary>
    private ReadOnlySpan<float> GatherRows(int[] rows)
    {
        int c = Backbone.Config.HiddenSize;
        var a = Backbone.Activations;
        var hidden = a.Saved.View(a.Hidden);
        if (_hiddenRows.Length < rows.Length * c) _hiddenRows = new float[rows.Length * c];
        for (int r = 0; r < rows.Length; r++) hidden.Slice(rows[r] * c, c).CopyTo(_hiddenRows.AsSpan(r * c, c));
        return _hiddenRows.AsSpan(0, rows.Length * c);
    }

    /// <summary>Right-pads <paramref name="tokens"/> to [B, <paramref name="tokenCount"/>] (pad id 0, invisible to
    /// earlier tokens under causal attention) and lists the flat rows b·T + p of every position, in order.</summary>
    public static (int[] Padded, int[] Rows) Pack(IReadOnlyList<int[]> tokens, IReadOnlyList<int[]> positions, int tokenCount)
    {
        var padded = new int[tokens.Count * tokenCount];
        var rows = new List<int>();
        for (int b = 0; b < tokens.Count; b++)
        {
            if (tokens[b].Length > tokenCount) throw new ArgumentException($"reward model: sequence {b} has {tokens[b].Length} tokens, more than the padded length {tokenCount}");
            tokens[b].CopyTo(padded, b * tokenCount);
            foreach (int p in positions[b]) rows.Add(b * tokenCount + p);
        }
        return (padded, [.. rows]);
    }

    private void CheckSequence(int[] tokens, int[] positions, int s)
    {
        if (tokens is null || positions is null) throw new ArgumentNullException(nameof(tokens), $"reward model: sequence {s} or its positions is null");
        var cfg = Backbone.Config;
        if (tokens.Length == 0) throw new ArgumentException($"reward model: sequence {s} is empty; it needs at least one token");
        if (tokens.Length > cfg.MaxPositionEmbeddings)
            throw new ArgumentException($"reward model: sequence {s} has {tokens.Length} tokens, more than max_position_embeddings {cfg.MaxPositionEmbeddings}");
        foreach (int id in tokens)
        {
            if ((uint)id >= (uint)cfg.VocabSize) throw new ArgumentException($"reward model: sequence {s} holds token id {id}, outside the vocabulary [0, {cfg.VocabSize})");
        }
        foreach (int p in positions)
        {
            if ((uint)p >= (uint)tokens.Length) throw new ArgumentException($"reward model: sequence {s} position {p} outside [0, {tokens.Length})");
        }
    }

    /// <summary>σ(x) = 1 / (1 + e^(−x)).</summary>
    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    public void Dispose()
    {
        Backbone.Dispose();
        Prm?.Dispose();
        Orm?.Dispose();
    }
}
