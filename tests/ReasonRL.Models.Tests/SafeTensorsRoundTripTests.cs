// Write → read round trips of SafeTensorsWriter/SafeTensorsReader: every dtype, scalars,
// zero-size tensors, metadata, non-ASCII names, header padding, and the exact byte layout.
using System.Buffers.Binary;
using System.Text;

namespace ReasonRL.Models.Tests;

public class SafeTensorsRoundTripTests
{
    [Fact]
    public void Every_dtype_round_trips_with_metadata_and_order()
    {
        using var dir = new TempFolder();
        string path = dir.File("all.safetensors");
        var rng = new Random(7);
        var f32 = Enumerable.Range(0, 24).Select(_ => (float)rng.NextDouble() - 0.5f).ToArray();
        // Values exactly representable in BF16 / F16 so the round trip is exact.
        float[] bf16 = [1f, -2f, 0.15625f, 3.3895314e38f, 0f, -0.5f];
        float[] f16 = [1f, -2f, 65504f, 5.9604645e-8f, 0.333251953125f, 0f];
        var tensors = new List<SafeTensorsTensor>
        {
            SafeTensorsTensor.FromFloats("w.f32", [2, 3, 4], f32),
            SafeTensorsTensor.FromFloats("w.bf16", [3, 2], bf16, SafeTensorsDType.BF16),
            SafeTensorsTensor.FromFloats("w.f16", [6], f16, SafeTensorsDType.F16),
            SafeTensorsTensor.FromIntegers("ids.i64", [2, 2], [0, 151643, -1, long.MaxValue]),
            SafeTensorsTensor.FromIntegers("ids.i32", [3], [7, -8, int.MaxValue], SafeTensorsDType.I32),
            SafeTensorsTensor.FromFloats("scalar", [], [4.5f]),
            SafeTensorsTensor.FromFloats("empty", [0, 5], []),
            SafeTensorsTensor.FromFloats("γ.ναμε", [1], [9f]),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode \"quoted\"" };

        SafeTensorsWriter.Write(path, tensors, metadata);
        var file = SafeTensorsReader.Read(path);

        Assert.Equal(metadata, file.Metadata);
        Assert.Equal(tensors.Select(t => t.Name), file.Tensors.Select(t => t.Name));
        foreach (var expected in tensors)
        {
            var actual = file[expected.Name];
            Assert.Equal(expected.DType, actual.DType);
            Assert.Equal(expected.Shape, actual.Shape);
            if (expected.IsInteger) Assert.Equal(expected.Integers, actual.Integers);
            else Assert.Equal(expected.Floats, actual.Floats);
        }
        Assert.Equal(1, file["scalar"].ElementCount);
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public void Header_is_space_padded_so_data_starts_at_a_multiple_of_8()
    {
        using var dir = new TempFolder();
        for (int nameLength = 1; nameLength <= 9; nameLength++)
        {
            string path = dir.File($"pad{nameLength}.safetensors");
            SafeTensorsWriter.Write(path, [SafeTensorsTensor.FromFloats(new string('x', nameLength), [1], [1f])]);
            var bytes = File.ReadAllBytes(path);
            long n = (long)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            Assert.Equal(0, (8 + n) % 8);
            string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
            Assert.StartsWith("{", header, StringComparison.Ordinal);
            Assert.Equal(header.TrimEnd(' ').Length, header.LastIndexOf('}') + 1);
            Assert.Equal(8 + n + 4, bytes.Length);
        }
    }

    [Fact]
    public void Written_bytes_follow_the_format_exactly()
    {
        using var dir = new TempFolder();
        string path = dir.File("exact.safetensors");
        SafeTensorsWriter.Write(path, [SafeTensorsTensor.FromFloats("a", [2], [1f, -2f]), SafeTensorsTensor.FromFloats("b", [1], [1f], SafeTensorsDType.BF16)],
            new Dictionary<string, string> { ["k"] = "v" });
        var bytes = File.ReadAllBytes(path);
        const string Json = "{\"__metadata__\":{\"k\":\"v\"},\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"BF16\",\"shape\":[1],\"data_offsets\":[8,10]}}";
        int padded = (Json.Length + 7) / 8 * 8;
        Assert.Equal((ulong)padded, BinaryPrimitives.ReadUInt64LittleEndian(bytes));
        Assert.Equal(Json + new string(' ', padded - Json.Length), Encoding.UTF8.GetString(bytes, 8, padded));
        Assert.Equal(new byte[] { 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0, 0x80, 0x3F }, bytes[(8 + padded)..]);
    }

    [Fact]
    public void BF16_and_F16_files_are_read_as_rounded_floats()
    {
        using var dir = new TempFolder();
        string path = dir.File("rounded.safetensors");
        float[] values = [0.1f, -1.2345678f, 1000.3f, 3.14159265f];
        SafeTensorsWriter.Write(path, [
            SafeTensorsTensor.FromFloats("bf", [4], values, SafeTensorsDType.BF16),
            SafeTensorsTensor.FromFloats("hf", [4], values, SafeTensorsDType.F16)]);
        var file = SafeTensorsReader.Read(path);
        Assert.Equal(values.Select(v => SafeTensorsDTypes.BFloat16ToSingle(SafeTensorsDTypes.SingleToBFloat16(v))), file["bf"].Floats);
        Assert.Equal(values.Select(v => (float)(Half)v), file["hf"].Floats);
        // Round-to-nearest unit roundoff u = 2^-p for p significant bits: BF16 p = 8, F16 p = 11.
        for (int i = 0; i < values.Length; i++)
        {
            Assert.True(MathF.Abs(file["bf"].Floats[i] - values[i]) <= MathF.Abs(values[i]) * MathF.Pow(2, -8));
            Assert.True(MathF.Abs(file["hf"].Floats[i] - values[i]) <= MathF.Abs(values[i]) * MathF.Pow(2, -11));
        }
    }

    [Fact]
    public void Asking_for_the_wrong_kind_of_values_names_the_tensor()
    {
        var ids = SafeTensorsTensor.FromIntegers("input_ids", [1], [3]);
        var ex = Assert.Throws<InvalidOperationException>(() => ids.Floats);
        Assert.Contains("\"input_ids\"", ex.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SafeTensorsTensor.FromFloats("x", [2, 2], [1f, 2f, 3f]));
        Assert.Throws<ArgumentException>(() => SafeTensorsWriter.BuildHeader([SafeTensorsTensor.FromFloats("x", [1], [1f]), SafeTensorsTensor.FromFloats("x", [1], [1f])], null));
    }
}
