// Crc32C: CRC-32C (Castagnoli, reflected polynomial 0x82F63B78) with a 256-entry table, and the
// "masked" form TFRecord uses: ((crc >> 15) | (crc << 17)) + 0xA282EAD8.
// What it is not: hardware-accelerated (tfevents records are tiny; System.IO.Hashing has no CRC-32C).
// Reference: RFC 3720 §B.4 (check value 0xE3069283 for "123456789"); TensorFlow tfrecord format docs.
using ReasonRL.Training;

namespace ReasonRL.Runs;

/// <summary>CRC-32C and its TFRecord mask.</summary>
public static class Crc32C
{
    private static readonly uint[] Table = BuildTable();

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ 0x82F63B78u : c >> 1;
            t[i] = c;
        }
        return t;
    }

    /// <summary>CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    /// <summary>TFRecord masked CRC of <paramref name="data"/>.</summary>
    public static uint Masked(ReadOnlySpan<byte> data)
    {
        uint crc = Compute(data);
        return unchecked(((crc >> 15) | (crc << 17)) + 0xA282EAD8u);
    }
}
