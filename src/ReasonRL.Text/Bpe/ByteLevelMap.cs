// ByteLevelMap: GPT-2's reversible byte ↔ printable-char table ("bytes_to_unicode").
// Bytes that are printable and not whitespace map to the char with the same code
// ('!'..'~', '¡'..'¬', '®'..'ÿ'); the other 68 bytes map, in increasing byte order, to
// U+0100, U+0101, … (so space 0x20 → 'Ġ' U+0120, newline 0x0A → 'Ċ' U+010A).
// Vocabulary strings of byte-level BPE files are written in this alphabet.
// It is not the pre-tokenizer (ByteLevel's optional GPT-2 regex lives in PreTokenization/).
// Reference: openai/gpt-2 encoder.py `bytes_to_unicode`; HF tokenizers `byte_level.rs`.
namespace ReasonRL.Text.Bpe;

/// <summary>The 256-entry byte ↔ char table of byte-level BPE.</summary>
public static class ByteLevelMap
{
    private static readonly char[] ByteToCharTable = BuildByteToChar();
    private static readonly int[] CharToByteTable = BuildCharToByte(ByteToCharTable);

    /// <summary>The printable char standing for byte <paramref name="b"/>.</summary>
    public static char ByteToChar(byte b) => ByteToCharTable[b];

    /// <summary>The byte a byte-level char stands for, or -1 when <paramref name="c"/> is not in the alphabet.</summary>
    public static int CharToByte(char c) => c < CharToByteTable.Length ? CharToByteTable[c] : -1;

    /// <summary>Byte-level string of UTF-8 bytes (e.g. " the" → "Ġthe").</summary>
    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        return string.Create(bytes.Length, bytes.ToArray(), static (dst, src) =>
        {
            for (int i = 0; i < src.Length; i++) dst[i] = ByteToCharTable[src[i]];
        });
    }

    /// <summary>Bytes of a byte-level string, or null when some char is outside the alphabet.</summary>
    public static byte[]? TryDecode(string token)
    {
        var bytes = new byte[token.Length];
        for (int i = 0; i < token.Length; i++)
        {
            int b = CharToByte(token[i]);
            if (b < 0) return null;
            bytes[i] = (byte)b;
        }
        return bytes;
    }

    private static char[] BuildByteToChar()
    {
        var table = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            table[b] = printable ? (char)b : (char)next++;
        }
        return table;
    }

    private static int[] BuildCharToByte(char[] byteToChar)
    {
        var table = new int[byteToChar.Max() + 1];
        Array.Fill(table, -1);
        for (int b = 0; b < 256; b++) table[byteToChar[b]] = b;
        return table;
    }
}
