// Sampler: picks the next token from a row of logits, deterministically given a uniform draw
// (docs/conventions.md §17, llm.c/llama2.c "coin"). Temperature 0 means argmax; top-k / top-p truncate the
// tempered distribution and renormalise it. What it is not: an RNG owner (the caller draws the coin from its seeded Rng).
// References: Holtzman et al. 2019 (nucleus sampling); Hugging Face TopKLogitsWarper / TopPLogitsWarper.
using System.Numerics.Tensors;

namespace ReasonRL.Models;

/// <summary>Token sampling from logits with temperature; returns the token and its log-probability.</summary>
public static class Sampler
{
    /// <summary>
    /// Samples from softmax(logits / temperature) by inverse CDF at <paramref name="coin"/> ∈ [0, 1);
    /// temperature 0 → argmax. <paramref name="scratch"/> needs V floats. Returns (token, log p(token))
    /// where p is the tempered distribution (for temperature 0: the untempered log-softmax).
    /// </summary>
    public static (int Token, float LogProb) Sample(ReadOnlySpan<float> logits, float temperature, double coin, Span<float> scratch)
    {
        if (logits.IsEmpty) throw new ArgumentException("sampler: empty logits row");
        if (temperature < 0 || !float.IsFinite(temperature)) throw new ArgumentOutOfRangeException(nameof(temperature), $"sampler: temperature must be finite and >= 0, got {temperature}");
        var p = scratch[..logits.Length];
        float max = TensorPrimitives.Max(logits);
        float invT = temperature == 0 ? 1f : 1f / temperature;
        // p = exp((z − max)/T): subtract the max first for stability (TensorPrimitives.SoftMax does not).
        TensorPrimitives.Subtract(logits, max, p);
        TensorPrimitives.Multiply(p, invT, p);
        TensorPrimitives.Exp(p, p);
        float sum = TensorPrimitives.Sum(p);
        int token;
        if (temperature == 0)
        {
            token = TensorPrimitives.IndexOfMax(logits);
        }
        else
        {
            double target = coin * sum, cdf = 0;
            token = logits.Length - 1;   // guards against round-off leaving cdf just below target
            for (int i = 0; i < p.Length; i++)
            {
                cdf += p[i];
                if (cdf > target) { token = i; break; }
            }
        }
        return (token, (logits[token] - max) * invT - MathF.Log(sum));
    }

    /// <summary>
    /// Like <see cref="Sample(ReadOnlySpan{float}, float, double, Span{float})"/> with top-k
    /// (<paramref name="topK"/> 0 = off) and top-p (<paramref name="topP"/> 1 = off) truncation: the
    /// kept set is the K most likely tokens, then the shortest most-likely prefix of them whose tempered
    /// probability reaches P (always at least one token; ties broken by lower id). The coin is inverted
    /// over the kept tokens in id order, and the log-prob is under the truncated, renormalised
    /// distribution. With both filters off this is exactly the plain overload. <paramref name="scratch"/>
    /// needs 2·V floats and <paramref name="order"/> V ints.
    /// </summary>
    public static (int Token, float LogProb) Sample(ReadOnlySpan<float> logits, float temperature, int topK, float topP, double coin,
        Span<float> scratch, Span<int> order)
    {
        if (topK < 0) throw new ArgumentOutOfRangeException(nameof(topK), $"sampler: topK must be >= 0 (0 = off), got {topK}");
        if (!(topP > 0 && topP <= 1)) throw new ArgumentOutOfRangeException(nameof(topP), $"sampler: topP must be in (0, 1], got {topP}");
        int v = logits.Length;
        if (temperature == 0 || ((topK == 0 || topK >= v) && topP >= 1)) return Sample(logits, temperature, coin, scratch);
        Sample(logits, temperature, 0, scratch);                    // fills scratch[..V] with exp((z − max)/T)
        if (scratch.Length < 2 * v) throw new ArgumentException($"sampler: top-k/top-p scratch needs 2·V = {2 * v} floats, got {scratch.Length}", nameof(scratch));
        var probs = scratch[..v];
        float sum = TensorPrimitives.Sum(probs);
        TensorPrimitives.Divide(probs, sum, probs);                 // tempered probabilities
        // rank by probability (descending) with a primitive-key sort, then order equal keys by id
        var keys = scratch.Slice(v, v);
        TensorPrimitives.Negate(probs, keys);
        var idx = order[..v];
        for (int i = 0; i < v; i++) idx[i] = i;
        keys.Sort(idx);
        for (int r = 0; r < v;)
        {
            int e = r + 1;
            while (e < v && keys[e] == keys[r]) e++;
            if (e - r > 1) idx[r..e].Sort();
            r = e;
        }
        int keep = topK == 0 ? v : Math.Min(topK, v);
        if (topP < 1)
        {
            double cum = 0;
            for (int r = 0; r < keep; r++)
            {
                cum += probs[idx[r]];
                if (cum >= topP) { keep = r + 1; break; }
            }
        }
        // mark the kept set (keys[id] = its probability, 0 elsewhere), then invert the CDF in id order
        keys.Clear();
        double kept = 0;
        for (int r = 0; r < keep; r++) { keys[idx[r]] = probs[idx[r]]; kept += probs[idx[r]]; }
        double target = coin * kept, cdf = 0;
        int token = idx[keep - 1];
        for (int i = 0; i < v; i++)
        {
            if (keys[i] == 0) continue;
            cdf += keys[i];
            if (cdf > target) { token = i; break; }
        }
        return (token, (float)(Math.Log(probs[token]) - Math.Log(kept)));
    }
}
