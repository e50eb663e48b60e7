// RopeScaling: Llama 3.x frequency scaling of RoPE (HF config.json `rope_scaling` with
// `rope_type: "llama3"`), the only rope_scaling type the engine implements.
// What it does (transformers' _compute_llama3_parameters): with wavelen_i = 2π / inv_freq_i,
//   low_freq_wavelen  = original_max_position_embeddings / low_freq_factor
//   high_freq_wavelen = original_max_position_embeddings / high_freq_factor
//   wavelen < high_freq_wavelen  → inv_freq unchanged (high frequencies)
//   wavelen > low_freq_wavelen   → inv_freq / factor   (low frequencies)
//   otherwise                    → (1 − s)·inv_freq/factor + s·inv_freq,
//                                  s = (original / wavelen − low_freq_factor) / (high_freq_factor − low_freq_factor)
// The attention scaling factor of llama3 is 1 (nothing else changes). The float version follows
// torch's float32 arithmetic (so golden logits match); the double version is the reference.
// What it is not: the config.json reader (HfConfig) or the cos/sin tables (Kernels.RopeTables).
namespace ReasonRL.Models;

/// <summary>Llama 3.x RoPE frequency scaling (HF <c>rope_scaling</c> with <c>rope_type: "llama3"</c>).</summary>
public sealed record RopeScaling
{
    /// <summary>The only supported HF <c>rope_type</c>.</summary>
    public const string Llama3 = "llama3";

    /// <summary>HF <c>factor</c>: low frequencies are divided by it, e.g. 8 (Llama 3.1) or 32 (Llama 3.2).</summary>
    public double Factor { get; init; } = 8.0;

    /// <summary>HF <c>low_freq_factor</c>, e.g. 1.</summary>
    public double LowFreqFactor { get; init; } = 1.0;

    /// <summary>HF <c>high_freq_factor</c>, e.g. 4.</summary>
    public double HighFreqFactor { get; init; } = 4.0;

    /// <summary>HF <c>original_max_position_embeddings</c>: the pre-training context, e.g. 8192.</summary>
    public int OriginalMaxPositionEmbeddings { get; init; } = 8192;

    /// <summary>Throws <see cref="ArgumentException"/> naming the field when a value is out of range.</summary>
    public RopeScaling Validate()
    {
        static void Require(bool ok, string field, string expected, object actual)
        {
            if (!ok) throw new ArgumentException($"model config: rope_scaling.{field} must be {expected}, got {actual}");
        }
        Require(double.IsFinite(Factor) && Factor > 0, "factor", "> 0", Factor);
        Require(double.IsFinite(LowFreqFactor) && LowFreqFactor > 0, "low_freq_factor", "> 0", LowFreqFactor);
        Require(double.IsFinite(HighFreqFactor) && HighFreqFactor > LowFreqFactor, "high_freq_factor",
            $"greater than low_freq_factor ({LowFreqFactor})", HighFreqFactor);
        Require(OriginalMaxPositionEmbeddings > 0, "original_max_position_embeddings", "> 0", OriginalMaxPositionEmbeddings);
        return this;
    }

    /// <summary>Scales HF's float inverse frequencies in place, in float32 as torch does (a scalar divided
    /// by a tensor is torch's reciprocal-then-multiply).</summary>
    public void Apply(Span<float> invFreq)
    {
        float factor = (float)Factor, low = (float)LowFreqFactor, span = (float)(HighFreqFactor - LowFreqFactor), old = OriginalMaxPositionEmbeddings;
        float lowWavelen = (float)(OriginalMaxPositionEmbeddings / LowFreqFactor), highWavelen = (float)(OriginalMaxPositionEmbeddings / HighFreqFactor);
        for (int i = 0; i < invFreq.Length; i++)
        {
            float f = invFreq[i], wavelen = 1f / f * (float)(2 * Math.PI);
            if (wavelen < highWavelen) continue;
            if (wavelen > lowWavelen) { invFreq[i] = f / factor; continue; }
            float smooth = (1f / wavelen * old - low) / span;
            invFreq[i] = (1 - smooth) * f / factor + smooth * f;
        }
    }

    /// <summary>The same scaling in double (the reference model's).</summary>
    public void Apply(Span<double> invFreq)
    {
        double lowWavelen = OriginalMaxPositionEmbeddings / LowFreqFactor, highWavelen = OriginalMaxPositionEmbeddings / HighFreqFactor;
        for (int i = 0; i < invFreq.Length; i++)
        {
            double f = invFreq[i], wavelen = 2 * Math.PI / f;
            if (wavelen < highWavelen) continue;
            if (wavelen > lowWavelen) { invFreq[i] = f / Factor; continue; }
            double smooth = (OriginalMaxPositionEmbeddings / wavelen - LowFreqFactor) / (HighFreqFactor - LowFreqFactor);
            invFreq[i] = (1 - smooth) * f / Factor + smooth * f;
        }
    }
}
