// UnicodeNormalizer: NFC, NFD, NFKC and NFKD with alignment to the input (HF normalizers
// `NFC`, `NFD`, `NFKC`, `NFKD`). Algorithm (UAX #15): full decomposition (canonical, or
// compatibility for the K forms; Hangul syllables algorithmically), canonical ordering of
// combining marks by combining class, then canonical composition for the C forms.
// The input is processed segment by segment: a segment starts at a code point that can begin
// a normalization run (combining class 0, not the second element of any composition, and its
// decomposition starts with a starter) and holds the marks that follow. Normalization never
// crosses such a boundary, so the output is the concatenation of the segments' outputs, and a
// rewritten segment's output chars align to the whole input segment (NormalizedText).
// Fast path: text whose chars are all below the form's quick-check limit (U+0300 for NFC,
// U+00C0 for NFD, U+00A0 for the K forms) is returned as is without copying.
// It is not .NET's string.Normalize, which is a no-op for non-ASCII under InvariantGlobalization.
// Reference: https://unicode.org/reports/tr15/ ; Unicode 3.12 (Hangul syllable composition).
using System.Runtime.InteropServices;

namespace ReasonRL.Text.Normalization;

/// <summary>The four Unicode normalization forms.</summary>
public enum UnicodeForm
{
    /// <summary>Canonical decomposition then canonical composition.</summary>
    Nfc,
    /// <summary>Canonical decomposition.</summary>
    Nfd,
    /// <summary>Compatibility decomposition then canonical composition.</summary>
    Nfkc,
    /// <summary>Compatibility decomposition.</summary>
    Nfkd,
}

/// <summary>Unicode normalization with input alignment.</summary>
public sealed class UnicodeNormalizer(UnicodeForm form) : INormalizer
{
    // Hangul syllable constants (Unicode §3.12).
    private const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7;
    private const int LCount = 19, VCount = 21, TCount = 28, NCount = VCount * TCount, SCount = LCount * NCount;

    private readonly UnicodeNormalizationData _data = UnicodeNormalizationData.Instance;
    private readonly bool _compatibility = form is UnicodeForm.Nfkc or UnicodeForm.Nfkd;
    private readonly bool _compose = form is UnicodeForm.Nfc or UnicodeForm.Nfkc;
    private readonly char _quickLimit = form switch
    {
        UnicodeForm.Nfc => '\u0300',
        UnicodeForm.Nfd => '\u00C0',
        _ => '\u00A0',
    };

    /// <summary>The form.</summary>
    public UnicodeForm Form { get; } = form;

    /// <summary>Unicode version of the tables in use.</summary>
    public string UnicodeVersion => _data.UnicodeVersion;

    /// <summary>The normalized string alone (no alignment).</summary>
    public string NormalizeString(string text) => Normalize(text).Text;

    public NormalizedText Normalize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int firstSlow = text.AsSpan().IndexOfAnyInRange(_quickLimit, '\uFFFF');
        if (firstSlow < 0) return new NormalizedText(text);
        var output = new List<char>(text.Length + 8); // not StringBuilder: its indexer is slow on long text
        var starts = new List<int>(text.Length + 8);
        var ends = new List<int>(text.Length + 8);
        // The segment holding firstSlow starts at the last boundary at or before it.
        int segmentStart = firstSlow;
        while (segmentStart > 0 && !IsBoundary(text, segmentStart)) segmentStart--;
        for (int i = 0; i < segmentStart; i++)
        {
            output.Add(text[i]);
            starts.Add(i);
            ends.Add(i + 1);
        }
        bool changed = false;
        var codePoints = new List<int>(16);
        while (segmentStart < text.Length)
        {
            int segmentEnd = segmentStart + CodePointLength(text, segmentStart);
            while (segmentEnd < text.Length && !IsBoundary(text, segmentEnd)) segmentEnd += CodePointLength(text, segmentEnd);
            ReadOnlySpan<char> segment = text.AsSpan(segmentStart, segmentEnd - segmentStart);
            if (segment.Length == 1 && segment[0] < _quickLimit)
            {
                output.Add(segment[0]);
                starts.Add(segmentStart);
                ends.Add(segmentEnd);
            }
            else
            {
                codePoints.Clear();
                NormalizeSegment(segment, codePoints);
                int before = output.Count;
                foreach (int cp in codePoints) AppendCodePoint(output, cp);
                bool same = output.Count - before == segment.Length &&
                            Equals(output, before, segment);
                changed |= !same;
                for (int k = before; k < output.Count; k++)
                {
                    // Unchanged segments keep per-char alignment; rewritten ones map to the whole segment.
                    starts.Add(same ? segmentStart + (k - before) : segmentStart);
                    ends.Add(same ? segmentStart + (k - before) + 1 : segmentEnd);
                }
            }
            segmentStart = segmentEnd;
        }
        return changed ? new NormalizedText(new string(CollectionsMarshal.AsSpan(output)), starts.ToArray(), ends.ToArray()) : new NormalizedText(text);
    }

    // Decompose, reorder, (compose) one segment's code points into `result`.
    private void NormalizeSegment(ReadOnlySpan<char> segment, List<int> result)
    {
        for (int i = 0; i < segment.Length; i++)
        {
            int cp = segment[i];
            if (char.IsHighSurrogate(segment[i]) && i + 1 < segment.Length && char.IsLowSurrogate(segment[i + 1]))
            {
                cp = char.ConvertToUtf32(segment[i], segment[i + 1]);
                i++;
            }
            Decompose(cp, result);
        }
        // Canonical ordering: stable sort of each run of non-starters by combining class
        // (insertion sort — runs are a handful of marks).
        for (int i = 1; i < result.Count; i++)
        {
            int cp = result[i];
            int ccc = _data.CombiningClass(cp);
            if (ccc == 0) continue;
            int j = i;
            while (j > 0 && _data.CombiningClass(result[j - 1]) > ccc)
            {
                result[j] = result[j - 1];
                j--;
            }
            result[j] = cp;
        }
        if (_compose) Compose(result);
    }

    private void Decompose(int cp, List<int> result)
    {
        int s = cp - SBase;
        if (s >= 0 && s < SCount)
        {
            result.Add(LBase + s / NCount);
            result.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0) result.Add(TBase + s % TCount);
            return;
        }
        int[]? mapping = _data.Decomposition(cp, _compatibility);
        if (mapping is null)
        {
            result.Add(cp);
            return;
        }
        foreach (int part in mapping) Decompose(part, result);
    }

    // Canonical composition (UAX #15 §1.3, "Canonical Composition Algorithm"): a mark composes
    // with the last starter when nothing between them blocks it (no mark of equal or higher
    // class); two adjacent starters may compose (Hangul LV + T, L + V).
    private void Compose(List<int> cps)
    {
        if (cps.Count < 2) return;
        int starterPos = 0;
        int starter = cps[0];
        int lastClass = _data.CombiningClass(starter);
        if (lastClass != 0) lastClass = 256; // no starter yet: nothing may compose with it
        int write = 1;
        for (int read = 1; read < cps.Count; read++)
        {
            int cp = cps[read];
            int ccc = _data.CombiningClass(cp);
            int composite = ComposePair(starter, cp);
            if (composite >= 0 && (lastClass < ccc || lastClass == 0))
            {
                cps[starterPos] = composite;
                starter = composite;
                continue;
            }
            if (ccc == 0)
            {
                starterPos = write;
                starter = cp;
            }
            lastClass = ccc;
            cps[write++] = cp;
        }
        cps.RemoveRange(write, cps.Count - write);
    }

    private int ComposePair(int first, int second)
    {
        int l = first - LBase;
        if (l >= 0 && l < LCount)
        {
            int v = second - VBase;
            return v >= 0 && v < VCount ? SBase + (l * VCount + v) * TCount : -1;
        }
        int s = first - SBase;
        if (s >= 0 && s < SCount && s % TCount == 0)
        {
            int t = second - TBase;
            return t > 0 && t < TCount ? first + t : -1;
        }
        return _data.Compose(first, second);
    }

    // True when a normalization segment may start at text[index].
    private bool IsBoundary(string text, int index)
    {
        char c = text[index];
        if (c < _quickLimit) return true;
        if (char.IsLowSurrogate(c) && index > 0 && char.IsHighSurrogate(text[index - 1])) return false;
        int cp = CodePointAt(text, index);
        if (_data.CombiningClass(cp) != 0) return false;
        if (_compose && (_data.IsComposeSecond(cp) || IsHangulVowelOrTrail(cp))) return false;
        int[]? mapping = _data.Decomposition(cp, _compatibility);
        return mapping is null || BoundaryAtStart(mapping[0]);
    }

    private bool BoundaryAtStart(int cp)
    {
        if (_data.CombiningClass(cp) != 0) return false;
        int[]? mapping = _data.Decomposition(cp, _compatibility);
        return mapping is null || BoundaryAtStart(mapping[0]);
    }

    private static bool IsHangulVowelOrTrail(int cp) =>
        (cp >= VBase && cp < VBase + VCount) || (cp > TBase && cp < TBase + TCount);

    private static int CodePointAt(string text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1])
            ? char.ConvertToUtf32(text[index], text[index + 1])
            : text[index];

    private static int CodePointLength(string text, int index) =>
        char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;

    private static void AppendCodePoint(List<char> output, int cp)
    {
        if (cp < 0x10000)
        {
            output.Add((char)cp);
            return;
        }
        cp -= 0x10000;
        output.Add((char)(0xD800 + (cp >> 10)));
        output.Add((char)(0xDC00 + (cp & 0x3FF)));
    }

    private static bool Equals(List<char> output, int from, ReadOnlySpan<char> segment)
    {
        for (int k = 0; k < segment.Length; k++)
        {
            if (output[from + k] != segment[k]) return false;
        }
        return true;
    }
}
