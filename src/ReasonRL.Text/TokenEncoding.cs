// TokenEncoding: the result of ITokenizer.Encode — ids plus the character span of each token.
// It is not a batch (no padding/attention mask; batching belongs to the generation layer).
// The meaning of an offset is defined once, on ITokenizer.
namespace ReasonRL.Text;

/// <summary>Half-open span [Start, End) of UTF-16 indices into the encoded string.</summary>
public readonly record struct TokenOffset(int Start, int End)
{
    /// <summary>End - Start.</summary>
    public int Length => End - Start;

    public override string ToString() => $"[{Start}, {End})";
}

/// <summary>Ids and offsets of one encoded text (same length, index k = token k).</summary>
public sealed class TokenEncoding
{
    /// <summary>Creates an encoding; the arrays are owned by the instance afterwards.</summary>
    public TokenEncoding(int[] ids, TokenOffset[] offsets)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(offsets);
        if (ids.Length != offsets.Length)
        {
            throw new ArgumentException(
                $"ids has {ids.Length} entries but offsets has {offsets.Length}; they must be equal", nameof(offsets));
        }
        Ids = ids;
        Offsets = offsets;
    }

    /// <summary>Token ids [T].</summary>
    public int[] Ids { get; }

    /// <summary>Character span of each token [T]; see ITokenizer for the exact definition.</summary>
    public TokenOffset[] Offsets { get; }

    /// <summary>Number of tokens T.</summary>
    public int Count => Ids.Length;

    /// <summary>The empty encoding.</summary>
    public static TokenEncoding Empty { get; } = new([], []);
}
