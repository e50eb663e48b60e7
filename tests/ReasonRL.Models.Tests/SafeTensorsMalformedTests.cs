// Malformed .safetensors files: each broken rule gives a SafeTensorsFormatException with its own
// SafeTensorsError and a message naming the file, the tensor when there is one, and expected vs actual.
using System.Text;

namespace ReasonRL.Models.Tests;

public class SafeTensorsMalformedTests
{
    private static SafeTensorsFormatException ReadBytes(byte[] bytes)
    {
        using var dir = new TempFolder();
        string path = dir.File("bad.safetensors");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<SafeTensorsFormatException>(() => SafeTensorsReader.Read(path));
        Assert.Equal(path, ex.FilePath);
        Assert.StartsWith(path + ": ", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    private const string A = "\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}";

    [Theory]
    // Structure of the JSON
    [InlineData("{" + A + ",\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]}}", 8, SafeTensorsError.DuplicateKey, null, "key \"a\" appears more than once")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}", 8, SafeTensorsError.InvalidJson, null, "header is not valid JSON")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"extra\":1}}", 8, SafeTensorsError.InvalidEntry, "a", "unexpected field \"extra\"")]
    [InlineData("{\"a\":{\"shape\":[2],\"data_offsets\":[0,8]}}", 8, SafeTensorsError.InvalidEntry, "a", "missing \"dtype\"")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", 8, SafeTensorsError.InvalidEntry, "a", "\"shape\"[0] must be a non-negative integer, got -2")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", 8, SafeTensorsError.InvalidEntry, "a", "\"shape\"[0] must be a non-negative integer, got 2.5")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}", 8, SafeTensorsError.InvalidEntry, "a", "\"data_offsets\" must be [begin, end], got 3 numbers")]
    [InlineData("{\"a\":[1,2]}", 0, SafeTensorsError.InvalidEntry, "a", "entry must be an object")]
    [InlineData("{\"__metadata__\":{\"format\":1}," + A + "}", 8, SafeTensorsError.InvalidMetadata, null, "\"__metadata__\".\"format\" must be a string, got a number")]
    [InlineData("{\"__metadata__\":[\"pt\"]," + A + "}", 8, SafeTensorsError.InvalidMetadata, null, "\"__metadata__\" must be an object of string values, got an array")]
    // Dtypes
    [InlineData("{\"a\":{\"dtype\":\"F33\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8, SafeTensorsError.UnknownDType, "a", "unknown dtype \"F33\"; expected one of F32, F16, BF16, I32, I64")]
    [InlineData("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8, SafeTensorsError.UnsupportedDType, "a", "dtype \"F64\" is not supported by ReasonRL; expected one of F32, F16, BF16, I32, I64")]
    // Sizes and offsets
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8, SafeTensorsError.ByteLengthMismatch, "a", "shape [3] × F32 (4 bytes) = 12 bytes, but data_offsets [0, 8] span 8 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[0,16]}}", 16, SafeTensorsError.ByteLengthMismatch, "a", "= 8 bytes, but data_offsets [0, 16] span 16 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,0]}}", 8, SafeTensorsError.InvalidOffsets, "a", "data_offsets [8, 0] end before they begin")]
    [InlineData("{" + A + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[12,16]}}", 16, SafeTensorsError.InvalidOffsets, "b", "data_offsets begin at 12, expected 8 (a gap of 4 bytes)")]
    [InlineData("{" + A + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12, SafeTensorsError.InvalidOffsets, "b", "begin at 4, expected 8 (overlapping the previous tensor)")]
    [InlineData("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8, SafeTensorsError.InvalidOffsets, "a", "begin at 4, expected 0")]
    [InlineData("{" + A + "}", 12, SafeTensorsError.BufferNotCovered, "a", "tensors cover 8 bytes of the data buffer, but it holds 12 bytes (4 bytes unaccounted for)")]
    [InlineData("{" + A + "}", 6, SafeTensorsError.InvalidOffsets, "a", "data_offsets end at 8, beyond the data buffer of 6 bytes")]
    [InlineData("{\"a\":{\"dtype\":\"I64\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", 8, SafeTensorsError.TooLarge, "a", "dimension 0 is 4294967296; expected at most 2147483647")]
    [InlineData("{\"a\":{\"dtype\":\"I64\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,8]}}", 8, SafeTensorsError.TooLarge, "a", "overflows a 64-bit byte count")]
    public void Malformed_header_gives_a_specific_error(string header, int dataBytes, SafeTensorsError error, string? tensor, string message)
    {
        var ex = ReadBytes(SafeTensorsTestFiles.Raw(header, dataBytes));
        Assert.Equal(error, ex.Error);
        Assert.Equal(tensor, ex.TensorName);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void File_shorter_than_the_length_prefix()
    {
        var ex = ReadBytes([1, 0, 0]);
        Assert.Equal(SafeTensorsError.FileTooShort, ex.Error);
        Assert.Contains("file is 3 bytes; expected at least 8", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_length_over_the_cap()
    {
        var ex = ReadBytes(SafeTensorsTestFiles.Raw(Encoding.UTF8.GetBytes("{}      "), 100_000_001UL, 0));
        Assert.Equal(SafeTensorsError.HeaderTooLarge, ex.Error);
        Assert.Contains("header length is 100000001 bytes; expected at most 100000000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_length_beyond_the_file()
    {
        var ex = ReadBytes(SafeTensorsTestFiles.Raw(Encoding.UTF8.GetBytes("{}      "), 64UL, 0));
        Assert.Equal(SafeTensorsError.HeaderBeyondFile, ex.Error);
        Assert.Contains("header length is 64 bytes but only 8 bytes follow the length prefix", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_must_start_with_a_brace()
    {
        var ex = ReadBytes(SafeTensorsTestFiles.Raw("  {}", 0));
        Assert.Equal(SafeTensorsError.HeaderStart, ex.Error);
        Assert.Contains("header must start with '{', got byte 0x20", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_must_be_valid_utf8()
    {
        byte[] header = [.. Encoding.UTF8.GetBytes("{\"a"), 0xC3, 0x28, .. Encoding.UTF8.GetBytes("\":1}   ")];
        var ex = ReadBytes(SafeTensorsTestFiles.Raw(header, (ulong)header.Length, 0));
        Assert.Equal(SafeTensorsError.InvalidUtf8, ex.Error);
        Assert.Contains("header is not valid UTF-8 (invalid sequence at header byte 3)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_spaces_may_pad_the_header()
    {
        byte[] header = [.. Encoding.UTF8.GetBytes("{" + A + "}"), 0];
        var ex = ReadBytes(SafeTensorsTestFiles.Raw(header, (ulong)header.Length, 8));
        Assert.Equal(SafeTensorsError.InvalidJson, ex.Error);
        Assert.Contains($"header byte {header.Length - 1} after the JSON object is 0x00; only spaces (0x20) may pad the header", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_byte_tensors_may_share_an_offset_and_an_empty_header_is_valid()
    {
        using var dir = new TempFolder();
        string path = dir.File("ok.safetensors");
        File.WriteAllBytes(path, SafeTensorsTestFiles.Raw(
            "{\"z1\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]},\"z2\":{\"dtype\":\"BF16\",\"shape\":[3,0],\"data_offsets\":[8,8]}," + A + "}", 8));
        var file = SafeTensorsReader.Read(path);
        Assert.Equal(["a", "z1", "z2"], file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        File.WriteAllBytes(path, SafeTensorsTestFiles.Raw("{}", 0));
        Assert.Empty(SafeTensorsReader.Read(path).Tensors);
    }
}
