// Test support: a self-deleting temporary folder and a builder for raw .safetensors bytes (so
// malformed files can be written byte by byte), plus seeded random checkpoint tensors.
using System.Buffers.Binary;
using System.Text;

namespace ReasonRL.Models.Tests;

/// <summary>A fresh folder under the system temp folder, deleted on Dispose.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("reasonrl-models-test-").FullName;

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}

public static class SafeTensorsTestFiles
{
    /// <summary>Bytes of a file whose header is <paramref name="headerJson"/> (padded with spaces to
    /// a multiple of 8 when <paramref name="pad"/>) followed by <paramref name="dataBytes"/> bytes 0..255.</summary>
    public static byte[] Raw(string headerJson, int dataBytes, bool pad = true)
    {
        var header = Encoding.UTF8.GetBytes(headerJson);
        if (pad) header = [.. header, .. Enumerable.Repeat((byte)' ', (8 - header.Length % 8) % 8)];
        return Raw(header, (ulong)header.Length, dataBytes);
    }

    /// <summary>Bytes of a file with an explicit header length prefix (which may lie).</summary>
    public static byte[] Raw(byte[] header, ulong declaredLength, int dataBytes)
    {
        var bytes = new byte[8 + header.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength);
        header.CopyTo(bytes, 8);
        for (int i = 0; i < dataBytes; i++) bytes[8 + header.Length + i] = (byte)i;
        return bytes;
    }

    /// <summary>Seeded random tensors with the names and shapes <paramref name="config"/> expects.</summary>
    public static List<SafeTensorsTensor> RandomCheckpoint(ModelConfig config, int seed, SafeTensorsDType dtype = SafeTensorsDType.F32)
    {
        var rng = new Random(seed);
        var list = new List<SafeTensorsTensor>();
        foreach (var spec in HfCheckpointLayout.Expected(config))
        {
            long n = spec.Shape.Aggregate(1L, (a, d) => a * d);
            var values = new float[n];
            for (int i = 0; i < n; i++) values[i] = (float)(rng.NextDouble() * 2 - 1);
            list.Add(SafeTensorsTensor.FromFloats(spec.Name, spec.Shape, values, dtype));
        }
        return list;
    }

    /// <summary>A 2-layer Qwen2-shaped config small enough for fast tests.</summary>
    public static ModelConfig TinyQwen2(bool tied) => new()
    {
        ModelType = "qwen2", VocabSize = 40, HiddenSize = 16, IntermediateSize = 24, LayerCount = 2,
        HeadCount = 4, KvHeadCount = 2, TieWordEmbeddings = tied, AttentionBias = true,
        RopeTheta = 10000, RmsNormEps = 1e-6f, MaxPositionEmbeddings = 128, EosTokenIds = [1], BosTokenId = 0,
    };
}
