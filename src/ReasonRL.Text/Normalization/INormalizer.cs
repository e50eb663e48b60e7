// INormalizer: stage 2 of the pipeline — rewrite text before pre-tokenization, keeping an
// alignment to the input. Implementations: UnicodeNormalizer (NFC, NFD, NFKC, NFKD),
// LowercaseNormalizer, SequenceNormalizer — the normalizer types that the Qwen2/2.5/3
// (NFC), GPT-2 (none) and Llama 3 (none) tokenizer.json files use, plus their close relatives.
// Reference: HF tokenizers `normalizers/` (`NormalizedString` keeps the same alignment).
namespace ReasonRL.Text.Normalization;

/// <summary>A text rewrite with alignment.</summary>
public interface INormalizer
{
    /// <summary>Normalizes <paramref name="text"/>; spans in the result are relative to it.</summary>
    NormalizedText Normalize(string text);
}

/// <summary>Applies normalizers in order (HF `Sequence`), composing their alignments.</summary>
public sealed class SequenceNormalizer(IReadOnlyList<INormalizer> normalizers) : INormalizer
{
    /// <summary>The normalizers, in order.</summary>
    public IReadOnlyList<INormalizer> Normalizers { get; } = normalizers;

    public NormalizedText Normalize(string text)
    {
        NormalizedText result = new(text);
        foreach (INormalizer normalizer in Normalizers)
        {
            NormalizedText next = normalizer.Normalize(result.Text);
            if (next.IsIdentity) continue;
            if (result.IsIdentity)
            {
                result = next;
                continue;
            }
            var starts = new int[next.Text.Length];
            var ends = new int[next.Text.Length];
            for (int i = 0; i < next.Text.Length; i++)
            {
                TokenOffset inner = next.ToInput(i, i + 1);
                TokenOffset outer = result.ToInput(inner.Start, inner.End);
                starts[i] = outer.Start;
                ends[i] = outer.End;
            }
            result = new NormalizedText(next.Text, starts, ends);
        }
        return result;
    }
}

/// <summary>Lower-cases with invariant simple case mapping, char by char (HF `Lowercase`);
/// the length never changes, so the alignment is the identity.</summary>
public sealed class LowercaseNormalizer : INormalizer
{
    public NormalizedText Normalize(string text) => new(text.ToLowerInvariant());
}
