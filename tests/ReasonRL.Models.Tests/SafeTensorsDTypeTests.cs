// BF16 / F16 ⇄ F32 conversions against known IEEE bit patterns, and decoding of file bytes.
namespace ReasonRL.Models.Tests;

public class SafeTensorsDTypeTests
{
    [Theory]
    [InlineData((ushort)0x3F80, 1.0f)]
    [InlineData((ushort)0xC000, -2.0f)]
    [InlineData((ushort)0x3E20, 0.15625f)]
    [InlineData((ushort)0x0000, 0.0f)]
    [InlineData((ushort)0x7F7F, 3.3895314e38f)]     // largest finite bfloat16
    [InlineData((ushort)0x0080, 1.17549435e-38f)]   // smallest normal = float.MinNormal
    [InlineData((ushort)0x0001, 9.18355e-41f)]      // smallest subnormal, 2^-133
    [InlineData((ushort)0x7F80, float.PositiveInfinity)]
    [InlineData((ushort)0xFF80, float.NegativeInfinity)]
    public void BFloat16_decodes_known_bit_patterns(ushort bits, float expected)
    {
        Assert.Equal(expected, SafeTensorsDTypes.BFloat16ToSingle(bits));
        Assert.Equal(bits, SafeTensorsDTypes.SingleToBFloat16(expected));
    }

    [Fact]
    public void BFloat16_negative_zero_and_nan_keep_their_kind()
    {
        Assert.Equal(0x80000000u, BitConverter.SingleToUInt32Bits(SafeTensorsDTypes.BFloat16ToSingle(0x8000)));
        Assert.True(float.IsNaN(SafeTensorsDTypes.BFloat16ToSingle(0x7FC0)));
        ushort nan = SafeTensorsDTypes.SingleToBFloat16(float.NaN);
        Assert.True(float.IsNaN(SafeTensorsDTypes.BFloat16ToSingle(nan)));
    }

    [Theory]
    [InlineData(0x3F808000u, (ushort)0x3F80)] // exactly half-way, kept bit even → round down
    [InlineData(0x3F818000u, (ushort)0x3F82)] // exactly half-way, kept bit odd → round up to even
    [InlineData(0x3F808001u, (ushort)0x3F81)] // just above half-way → up
    [InlineData(0x3F807FFFu, (ushort)0x3F80)] // just below half-way → down
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)] // float.MaxValue overflows bfloat16 → +inf
    public void BFloat16_encoding_rounds_to_nearest_even(uint floatBits, ushort expected)
    {
        Assert.Equal(expected, SafeTensorsDTypes.SingleToBFloat16(BitConverter.UInt32BitsToSingle(floatBits)));
    }

    [Theory]
    [InlineData((ushort)0x3C00, 1.0f)]
    [InlineData((ushort)0xC000, -2.0f)]
    [InlineData((ushort)0x7BFF, 65504f)]            // largest finite half
    [InlineData((ushort)0x0400, 6.1035156e-5f)]     // smallest normal, 2^-14
    [InlineData((ushort)0x0001, 5.9604645e-8f)]     // smallest subnormal, 2^-24
    [InlineData((ushort)0x3555, 0.333251953125f)]   // nearest half to 1/3
    [InlineData((ushort)0x7C00, float.PositiveInfinity)]
    public void Half_decodes_known_bit_patterns(ushort bits, float expected)
    {
        Assert.Equal(expected, SafeTensorsDTypes.HalfToSingle(bits));
        Assert.Equal(bits, SafeTensorsDTypes.SingleToHalf(expected));
    }

    [Fact]
    public void DecodeFloats_reads_little_endian_bytes_of_each_float_dtype()
    {
        var f32 = new float[2];
        SafeTensorsDTypes.DecodeFloats([0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x20, 0xC1], SafeTensorsDType.F32, f32);
        Assert.Equal([1.0f, -10.0f], f32);
        var bf16 = new float[2];
        SafeTensorsDTypes.DecodeFloats([0x80, 0x3F, 0x20, 0x3E], SafeTensorsDType.BF16, bf16);
        Assert.Equal([1.0f, 0.15625f], bf16);
        var f16 = new float[2];
        SafeTensorsDTypes.DecodeFloats([0x00, 0x3C, 0xFF, 0x7B], SafeTensorsDType.F16, f16);
        Assert.Equal([1.0f, 65504f], f16);
    }

    [Fact]
    public void Integers_round_trip_and_I32_overflow_is_an_error()
    {
        var bytes = new byte[16];
        SafeTensorsDTypes.EncodeIntegers([-3, 151643], SafeTensorsDType.I64, bytes);
        var back = new long[2];
        SafeTensorsDTypes.DecodeIntegers(bytes, SafeTensorsDType.I64, back);
        Assert.Equal([-3L, 151643L], back);
        Assert.Throws<OverflowException>(() => SafeTensorsDTypes.EncodeIntegers([1L << 40], SafeTensorsDType.I32, new byte[4]));
    }
}
