// CodePointText: lets a .NET regex classify text by Unicode *code point*.
// .NET's `\p{L}`, `\p{N}`, `\s` test one UTF-16 code unit, so a letter outside the BMP such as
// 𝑥 (U+1D465, MATHEMATICAL ITALIC SMALL X, category Ll) is seen as two surrogates (category Cs)
// and `\p{L}+` stops at it, while Hugging Face (Rust, Oniguruma) and tiktoken match it as a
// letter. Fix: before matching, replace each surrogate pair with one BMP "representative"
// character of the same general category (Ll → 'à', Nd → '٠', So → '¦', …), run the regex on
// that string, and map match positions back through an index table. Exact for every pattern
// that refers to non-ASCII characters only through general categories and `\s`/`\d`/`\w`
// (no code point outside the BMP is white space), which is true of the GPT-2, Qwen2 and
// Llama 3 patterns and of tiktoken's. Text without surrogates is used as is (no copy).
// It is not the pre-tokenizer itself (RegexPreTokenizer.cs).
using System.Globalization;

namespace ReasonRL.Text.PreTokenization;

/// <summary>A string in which every code point is one UTF-16 unit, with the map back to the original.</summary>
internal readonly ref struct CodePointText
{
    /// <summary>The text to run the regex on.</summary>
    public ReadOnlySpan<char> Text { get; }

    // Index in the original span of each unit of Text, plus one sentinel = original length;
    // null when Text is the original (no surrogates).
    private readonly int[]? _toOriginal;

    private CodePointText(ReadOnlySpan<char> text, int[]? toOriginal)
    {
        Text = text;
        _toOriginal = toOriginal;
    }

    /// <summary>Original index of mapped index <paramref name="index"/> (0 ≤ index ≤ Text.Length).</summary>
    public int ToOriginal(int index) => _toOriginal is null ? index : _toOriginal[index];

    /// <summary>Builds the view of <paramref name="original"/>.</summary>
    public static CodePointText Create(ReadOnlySpan<char> original)
    {
        if (original.IndexOfAnyInRange('\uD800', '\uDFFF') < 0) return new CodePointText(original, null);
        var mapped = new char[original.Length];
        var toOriginal = new int[original.Length + 1];
        int n = 0;
        for (int i = 0; i < original.Length; i++)
        {
            char c = original[i];
            toOriginal[n] = i;
            if (char.IsHighSurrogate(c) && i + 1 < original.Length && char.IsLowSurrogate(original[i + 1]))
            {
                int codePoint = char.ConvertToUtf32(c, original[i + 1]);
                mapped[n++] = Representative(CharUnicodeInfo.GetUnicodeCategory(codePoint));
                i++;
            }
            else
            {
                mapped[n++] = c; // BMP char, or a lone surrogate (category Cs either way)
            }
        }
        toOriginal[n] = original.Length;
        return new CodePointText(mapped.AsSpan(0, n), toOriginal);
    }

    /// <summary>A BMP, non-ASCII, non-white-space char of general category <paramref name="category"/>.</summary>
    internal static char Representative(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => '\u00C0',
        UnicodeCategory.LowercaseLetter => '\u00E0',
        UnicodeCategory.TitlecaseLetter => '\u01C5',
        UnicodeCategory.ModifierLetter => '\u02B0',
        UnicodeCategory.OtherLetter => '\u05D0',
        UnicodeCategory.NonSpacingMark => '\u0300',
        UnicodeCategory.SpacingCombiningMark => '\u0903',
        UnicodeCategory.EnclosingMark => '\u20DD',
        UnicodeCategory.DecimalDigitNumber => '\u0660',
        UnicodeCategory.LetterNumber => '\u2160',
        UnicodeCategory.OtherNumber => '\u00B2',
        UnicodeCategory.Format => '\u00AD',
        UnicodeCategory.PrivateUse => '\uE000',
        UnicodeCategory.ConnectorPunctuation => '\u203F',
        UnicodeCategory.DashPunctuation => '\u2010',
        UnicodeCategory.OpenPunctuation => '\u2045',
        UnicodeCategory.ClosePunctuation => '\u2046',
        UnicodeCategory.InitialQuotePunctuation => '\u00AB',
        UnicodeCategory.FinalQuotePunctuation => '\u00BB',
        UnicodeCategory.OtherPunctuation => '\u00A1',
        UnicodeCategory.MathSymbol => '\u00AC',
        UnicodeCategory.CurrencySymbol => '\u00A2',
        UnicodeCategory.ModifierSymbol => '\u00A8',
        UnicodeCategory.OtherSymbol => '\u00A6',
        // No supplementary code point is a separator, control or surrogate; unassigned ones
        // (and anything unexpected) map to an unassigned BMP code point.
        _ => '\u0378',
    };
}
