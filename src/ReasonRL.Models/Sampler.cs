// Sampler: picks the next token from a row of logits, deterministically given a uniform draw
// (STYLE.md §17, llm.c/llama2.c "coin"). Temperature 0 means argmax. What it is not: top-k / top-p
// (not needed by the benchmark or the lab yet) or an RNG owner (the caller owns a seeded Random).
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
}
