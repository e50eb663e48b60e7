// Log-softmax / cross-entropy (fast): per-token log-probs of the targets, per-token entropy, and
// the backward for any upstream gradient on them (RL losses weight each token's log-prob).
// Reference: Reference.LogSoftmaxForward/Backward. Stability: subtract the row max before exp
// (TensorPrimitives.SoftMax does not, docs/conventions.md §10). Targets &lt; 0 are ignored (log-prob 0).
using System.Numerics.Tensors;

using System.Runtime.CompilerServices;

namespace ReasonRL.Tensors;

public static unsafe partial class Kernels
{
    /// <summary>
    /// logits [N, V], targets [N] → logProbs [N] (0 when ignored), entropy [N], lse [N] (saved for backward).
    /// </summary>
    public static void LogSoftmaxForward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, int rows, int vocab,
        Span<float> logProbs, Span<float> entropy, Span<float> lse)
    {
        RequireLength("LogSoftmaxForward", "logits", logits.Length, (long)rows * vocab);
        RequireLength("LogSoftmaxForward", "targets", targets.Length, rows);
        fixed (float* pz = logits) fixed (int* pt = targets) fixed (float* plp = logProbs) fixed (float* pe = entropy) fixed (float* pl = lse)
        {
            float* z = pz, lp = plp, ent = pe, l = pl; int* tg = pt;
            ForRanges(rows, vocab * 4L, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                var tmp = new float[vocab];
                for (int n = s; n < e; n++)
                {
                    var row = new ReadOnlySpan<float>(z + (long)n * vocab, vocab);
                    float max = TensorPrimitives.Max(row);
                    TensorPrimitives.Subtract(row, max, tmp);
                    TensorPrimitives.Exp(tmp, tmp);
                    float sum = TensorPrimitives.Sum(tmp);
                    float lsev = max + MathF.Log(sum);
                    float pzs = TensorPrimitives.Dot(tmp, row) / sum;     // Σ p z
                    l[n] = lsev;
                    ent[n] = lsev - pzs;
                    int t = tg[n];
                    if (t >= vocab) throw new ArgumentOutOfRangeException(nameof(targets), $"LogSoftmaxForward: target {t} at row {n} outside [0, {vocab})");
                    lp[n] = t >= 0 ? row[t] - lsev : 0f;
                }
            });
        }
    }

    /// <summary>
    /// Backward (accumulates into dLogits [N, V]): dz_v += dLogProb·([v = t] − p_v) + dEntropy·(−p_v(log p_v + H)).
    /// dEntropy may be empty (no entropy term). With <paramref name="accumulate"/> false dLogits is
    /// overwritten instead (no separate clear of the [N, V] buffer).
    /// </summary>
    public static void LogSoftmaxBackward(ReadOnlySpan<float> logits, ReadOnlySpan<int> targets, ReadOnlySpan<float> lse,
        ReadOnlySpan<float> dLogProbs, ReadOnlySpan<float> dEntropy, int rows, int vocab, Span<float> dLogits, bool accumulate = true)
    {
        RequireLength("LogSoftmaxBackward", "dLogits", dLogits.Length, (long)rows * vocab);
        bool withEntropy = !dEntropy.IsEmpty;
        fixed (float* pz = logits) fixed (int* pt = targets) fixed (float* pl = lse) fixed (float* pdl = dLogProbs)
        fixed (float* pde = dEntropy) fixed (float* pd = dLogits)
        {
            float* z = pz, l = pl, dlp = pdl, de = pde, d = pd; int* tg = pt;
            ForRanges(rows, vocab * 4L, [MethodImpl(MethodImplOptions.AggressiveOptimization)] (s, e) =>
            {
                var p = new float[vocab];
                var c = new float[vocab];
                for (int n = s; n < e; n++)
                {
                    var row = new ReadOnlySpan<float>(z + (long)n * vocab, vocab);
                    var drow = new Span<float>(d + (long)n * vocab, vocab);
                    int t = tg[n];
                    float g = t >= 0 ? dlp[n] : 0f;
                    TensorPrimitives.Subtract(row, l[n], c);              // c = log p
                    TensorPrimitives.Exp(c, p);                           // p
                    if (withEntropy && de[n] != 0f)
                    {
                        float h = -TensorPrimitives.Dot(p, c);            // H = −Σ p log p
                        // coefficient on −p_v: g + dH·(log p_v + H)
                        TensorPrimitives.Add(c, h, c);
                        TensorPrimitives.Multiply(c, de[n], c);
                        TensorPrimitives.Add(c, g, c);
                        TensorPrimitives.Multiply(c, p, c);
                        if (accumulate) TensorPrimitives.Subtract(drow, c, drow);
                        else TensorPrimitives.Negate(c, drow);
                    }
                    else if (g != 0f)
                    {
                        if (accumulate) TensorPrimitives.MultiplyAdd(p, -g, drow, drow);
                        else TensorPrimitives.Multiply(p, -g, drow);
                    }
                    else if (!accumulate)
                    {
                        drow.Clear();
                    }
                    if (t >= 0) drow[t] += g;
                }
            });
        }
    }
}
