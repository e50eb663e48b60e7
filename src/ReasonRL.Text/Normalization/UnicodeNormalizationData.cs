// UnicodeNormalizationData: the Unicode Character Database tables that NFC/NFD/NFKC/NFKD need —
// canonical combining classes, one-level canonical and compatibility decompositions, and the
// canonical composition pairs (primary composites only). Loaded once from the embedded
// UnicodeNormalization.txt (written by generate_unicode_tables.py; see there for the format
// and why .NET's own string.Normalize cannot be used under InvariantGlobalization).
// Hangul syllables are algorithmic (UnicodeNormalizer.cs) and are not in the tables.
// Reference: Unicode Standard Annex #15, "Unicode Normalization Forms".
using System.Globalization;
using System.Reflection;

namespace ReasonRL.Text.Normalization;

/// <summary>Normalization tables (immutable after load).</summary>
internal sealed class UnicodeNormalizationData
{
    private const string ResourceName = "ReasonRL.Text.Normalization.UnicodeNormalization.txt";

    private static readonly Lazy<UnicodeNormalizationData> LazyInstance = new(Load);

    private readonly byte[] _bmpCombiningClass = new byte[0x10000];
    private readonly Dictionary<int, byte> _supplementaryCombiningClass = [];
    private readonly Dictionary<int, int[]> _canonical = [];
    private readonly Dictionary<int, int[]> _compatibility = [];
    private readonly Dictionary<long, int> _composition = [];
    private readonly HashSet<int> _composeSecond = [];

    /// <summary>The tables.</summary>
    public static UnicodeNormalizationData Instance => LazyInstance.Value;

    /// <summary>Unicode version of the tables (e.g. "14.0.0").</summary>
    public string UnicodeVersion { get; private set; } = "";

    /// <summary>Canonical combining class of a code point (0 = starter).</summary>
    public int CombiningClass(int codePoint) =>
        codePoint < 0x10000 ? _bmpCombiningClass[codePoint]
        : _supplementaryCombiningClass.TryGetValue(codePoint, out byte c) ? c : 0;

    /// <summary>One-level decomposition (compatibility first when <paramref name="compatibility"/>), or null.</summary>
    public int[]? Decomposition(int codePoint, bool compatibility)
    {
        if (compatibility && _compatibility.TryGetValue(codePoint, out int[]? k)) return k;
        return _canonical.TryGetValue(codePoint, out int[]? d) ? d : null;
    }

    /// <summary>The primary composite of (first, second), or -1.</summary>
    public int Compose(int first, int second) =>
        _composition.TryGetValue(((long)first << 21) | (uint)second, out int c) ? c : -1;

    /// <summary>True when the code point is the second element of some canonical composition.</summary>
    public bool IsComposeSecond(int codePoint) => _composeSecond.Contains(codePoint);

    private static UnicodeNormalizationData Load()
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing from ReasonRL.Text");
        using var reader = new StreamReader(stream);
        var data = new UnicodeNormalizationData();
        var pairs = new Dictionary<int, int[]>();
        var excluded = new HashSet<int>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#') continue;
            string[] f = line.Split(' ');
            switch (f[0])
            {
                case "V":
                    data.UnicodeVersion = f[1];
                    break;
                case "C":
                    int cp = Hex(f[1]);
                    byte ccc = byte.Parse(f[2], CultureInfo.InvariantCulture);
                    if (cp < 0x10000) data._bmpCombiningClass[cp] = ccc;
                    else data._supplementaryCombiningClass[cp] = ccc;
                    break;
                case "D":
                case "K":
                    int[] mapping = f.Skip(2).Select(Hex).ToArray();
                    (f[0] == "D" ? data._canonical : data._compatibility)[Hex(f[1])] = mapping;
                    if (f[0] == "D" && mapping.Length == 2) pairs[Hex(f[1])] = mapping;
                    break;
                case "X":
                    excluded.Add(Hex(f[1]));
                    break;
                default:
                    throw new InvalidDataException($"{ResourceName} line {lineNumber}: unknown record \"{f[0]}\"");
            }
        }
        foreach ((int composite, int[] parts) in pairs)
        {
            if (excluded.Contains(composite)) continue;
            data._composition[((long)parts[0] << 21) | (uint)parts[1]] = composite;
            data._composeSecond.Add(parts[1]);
        }
        return data;
    }

    private static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
