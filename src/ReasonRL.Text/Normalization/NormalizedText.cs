// NormalizedText: the output of a normalizer plus its alignment to the input, so token
// offsets can be reported in *input* coordinates (ITokenizer's offset definition).
// Alignment unit: a normalization segment of the input — a starter and the combining
// characters that follow it (the smallest stretch NFC/NFKC rewrite as a whole). Every char of
// the normalized text produced from a rewritten segment maps to the whole input segment; chars
// of unchanged segments map to themselves.
// It is not a normalizer (UnicodeNormalizer.cs).
namespace ReasonRL.Text.Normalization;

/// <summary>Normalized text with the input span each of its chars came from.</summary>
public sealed class NormalizedText
{
    private readonly int[]? _starts; // [normalized length]: input start of each char; null = identity
    private readonly int[]? _ends;   // [normalized length]: input end (exclusive) of each char

    /// <summary>Text that normalization did not change (identity alignment).</summary>
    public NormalizedText(string text)
    {
        Text = text;
    }

    /// <summary>Rewritten text with per-char input spans (relative to the normalized input).</summary>
    public NormalizedText(string text, int[] starts, int[] ends)
    {
        if (starts.Length != text.Length || ends.Length != text.Length)
        {
            throw new ArgumentException(
                $"alignment arrays must have the text's length {text.Length}; got {starts.Length} and {ends.Length}");
        }
        Text = text;
        _starts = starts;
        _ends = ends;
    }

    /// <summary>The normalized text.</summary>
    public string Text { get; }

    /// <summary>True when the text is the input unchanged.</summary>
    public bool IsIdentity => _starts is null;

    /// <summary>Input span of the normalized span [start, end) (end &gt; start).</summary>
    public TokenOffset ToInput(int start, int end)
    {
        if (_starts is null) return new TokenOffset(start, end);
        return new TokenOffset(_starts[start], _ends![end - 1]);
    }
}
