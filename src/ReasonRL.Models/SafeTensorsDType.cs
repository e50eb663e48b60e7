// SafeTensorsDType: the element types ReasonRL reads from and writes to .safetensors files, their
// byte sizes and header spellings, and the element conversions (BF16/F16 ⇄ F32, I32 ⇄ I64).
// What it is not: the header parser (SafeTensorsHeader) or file IO (SafeTensorsReader/Writer).
// References: https://github.com/huggingface/safetensors (README "Format", dtype list in
// safetensors/src/tensor.rs); bfloat16 = the top 16 bits of an IEEE-754 binary32;
// F16 = IEEE-754 binary16 (System.Half). All file data is little-endian.
using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace ReasonRL.Models;

/// <summary>Element types ReasonRL supports in safetensors files. Floats are converted to F32 on
/// load; I32/I64 (token-id tensors) are loaded as <see cref="long"/>.</summary>
public enum SafeTensorsDType
{
    /// <summary>IEEE-754 binary32, 4 bytes.</summary>
    F32,
    /// <summary>IEEE-754 binary16, 2 bytes.</summary>
    F16,
    /// <summary>bfloat16 (upper half of a binary32), 2 bytes.</summary>
    BF16,
    /// <summary>Signed 32-bit integer, 4 bytes.</summary>
    I32,
    /// <summary>Signed 64-bit integer, 8 bytes.</summary>
    I64,
}

/// <summary>Sizes, names and conversions of <see cref="SafeTensorsDType"/>.</summary>
public static class SafeTensorsDTypes
{
    /// <summary>Dtype spellings the format defines that ReasonRL does not load (named in errors).</summary>
    internal static readonly string[] KnownUnsupported =
        ["F64", "I8", "I16", "U8", "U16", "U32", "U64", "BOOL", "F8_E4M3", "F8_E5M2", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64"];

    /// <summary>The supported spellings, for error messages.</summary>
    internal const string SupportedList = "F32, F16, BF16, I32, I64";

    /// <summary>Bytes per element.</summary>
    public static int SizeOf(SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.F32 or SafeTensorsDType.I32 => 4,
        SafeTensorsDType.F16 or SafeTensorsDType.BF16 => 2,
        SafeTensorsDType.I64 => 8,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown SafeTensorsDType"),
    };

    /// <summary>The header spelling ("F32", "BF16", …).</summary>
    public static string HeaderName(SafeTensorsDType dtype) => dtype switch
    {
        SafeTensorsDType.F32 => "F32",
        SafeTensorsDType.F16 => "F16",
        SafeTensorsDType.BF16 => "BF16",
        SafeTensorsDType.I32 => "I32",
        SafeTensorsDType.I64 => "I64",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown SafeTensorsDType"),
    };

    /// <summary>True for the integer types (I32, I64).</summary>
    public static bool IsInteger(SafeTensorsDType dtype) => dtype is SafeTensorsDType.I32 or SafeTensorsDType.I64;

    /// <summary>Parses a header spelling; false for unknown or unsupported spellings.</summary>
    public static bool TryParse(string name, out SafeTensorsDType dtype)
    {
        (var ok, dtype) = name switch
        {
            "F32" => (true, SafeTensorsDType.F32),
            "F16" => (true, SafeTensorsDType.F16),
            "BF16" => (true, SafeTensorsDType.BF16),
            "I32" => (true, SafeTensorsDType.I32),
            "I64" => (true, SafeTensorsDType.I64),
            _ => (false, SafeTensorsDType.F32),
        };
        return ok;
    }

    /// <summary>bfloat16 bits → float: the bits become the upper half of a binary32 (exact).</summary>
    public static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>float → bfloat16 bits, rounding to nearest with ties to even (as PyTorch does);
    /// NaN stays a (quiet) NaN, infinities stay infinite, overflow rounds to infinity.</summary>
    public static ushort SingleToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value)) return (ushort)((bits >> 16) | 0x0040);
        // Add 0x7FFF plus the lowest kept bit: rounds half-way cases towards an even result.
        uint rounded = bits + 0x7FFFu + ((bits >> 16) & 1u);
        return (ushort)(rounded >> 16);
    }

    /// <summary>IEEE binary16 bits → float (exact).</summary>
    public static float HalfToSingle(ushort bits) => (float)BitConverter.UInt16BitsToHalf(bits);

    /// <summary>float → IEEE binary16 bits, rounding to nearest even (System.Half's conversion).</summary>
    public static ushort SingleToHalf(float value) => BitConverter.HalfToUInt16Bits((Half)value);

    /// <summary>Decodes little-endian <paramref name="source"/> elements of a float dtype into
    /// <paramref name="destination"/> (one float per element).</summary>
    public static void DecodeFloats(ReadOnlySpan<byte> source, SafeTensorsDType dtype, Span<float> destination)
    {
        int size = SizeOf(dtype);
        if (source.Length != destination.Length * size)
            throw new ArgumentException($"{source.Length} bytes of {HeaderName(dtype)} do not hold {destination.Length} elements");
        switch (dtype)
        {
            case SafeTensorsDType.F32 when BitConverter.IsLittleEndian:
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case SafeTensorsDType.F32:
                for (int i = 0; i < destination.Length; i++) destination[i] = BinaryPrimitives.ReadSingleLittleEndian(source[(4 * i)..]);
                break;
            case SafeTensorsDType.BF16:
                for (int i = 0; i < destination.Length; i++) destination[i] = BFloat16ToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]));
                break;
            case SafeTensorsDType.F16:
                for (int i = 0; i < destination.Length; i++) destination[i] = HalfToSingle(BinaryPrimitives.ReadUInt16LittleEndian(source[(2 * i)..]));
                break;
            default:
                throw new ArgumentException($"{HeaderName(dtype)} is an integer dtype, not a float dtype");
        }
    }

    /// <summary>Encodes floats as little-endian elements of a float dtype.</summary>
    public static void EncodeFloats(ReadOnlySpan<float> source, SafeTensorsDType dtype, Span<byte> destination)
    {
        if (destination.Length != source.Length * SizeOf(dtype))
            throw new ArgumentException($"{destination.Length} bytes cannot hold {source.Length} {HeaderName(dtype)} elements");
        for (int i = 0; i < source.Length; i++)
        {
            switch (dtype)
            {
                case SafeTensorsDType.F32: BinaryPrimitives.WriteSingleLittleEndian(destination[(4 * i)..], source[i]); break;
                case SafeTensorsDType.BF16: BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * i)..], SingleToBFloat16(source[i])); break;
                case SafeTensorsDType.F16: BinaryPrimitives.WriteUInt16LittleEndian(destination[(2 * i)..], SingleToHalf(source[i])); break;
                default: throw new ArgumentException($"{HeaderName(dtype)} is an integer dtype, not a float dtype");
            }
        }
    }

    /// <summary>Decodes little-endian I32/I64 elements into longs.</summary>
    public static void DecodeIntegers(ReadOnlySpan<byte> source, SafeTensorsDType dtype, Span<long> destination)
    {
        if (source.Length != destination.Length * SizeOf(dtype))
            throw new ArgumentException($"{source.Length} bytes of {HeaderName(dtype)} do not hold {destination.Length} elements");
        for (int i = 0; i < destination.Length; i++)
        {
            destination[i] = dtype switch
            {
                SafeTensorsDType.I32 => BinaryPrimitives.ReadInt32LittleEndian(source[(4 * i)..]),
                SafeTensorsDType.I64 => BinaryPrimitives.ReadInt64LittleEndian(source[(8 * i)..]),
                _ => throw new ArgumentException($"{HeaderName(dtype)} is a float dtype, not an integer dtype"),
            };
        }
    }

    /// <summary>Encodes longs as little-endian I32/I64; I32 throws <see cref="OverflowException"/>
    /// for a value outside the int range.</summary>
    public static void EncodeIntegers(ReadOnlySpan<long> source, SafeTensorsDType dtype, Span<byte> destination)
    {
        if (destination.Length != source.Length * SizeOf(dtype))
            throw new ArgumentException($"{destination.Length} bytes cannot hold {source.Length} {HeaderName(dtype)} elements");
        for (int i = 0; i < source.Length; i++)
        {
            switch (dtype)
            {
                case SafeTensorsDType.I32: BinaryPrimitives.WriteInt32LittleEndian(destination[(4 * i)..], checked((int)source[i])); break;
                case SafeTensorsDType.I64: BinaryPrimitives.WriteInt64LittleEndian(destination[(8 * i)..], source[i]); break;
                default: throw new ArgumentException($"{HeaderName(dtype)} is a float dtype, not an integer dtype");
            }
        }
    }
}
