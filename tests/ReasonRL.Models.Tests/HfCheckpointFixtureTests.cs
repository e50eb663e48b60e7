// The committed golden fixtures (tools/reference/make_golden_fixtures.py) read through
// GoldenFixture and HfCheckpoint: format tag and version, config, the weights' names and shapes,
// one gradient per parameter, ids/targets/logits/loss consistency, AdamW metadata, and size.
namespace ReasonRL.Models.Tests;

public class HfCheckpointFixtureTests
{
    public static TheoryData<string> Fixtures => new(GoldenFixture.Names);

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Fixture_weights_load_with_hf_names_and_shapes(string name)
    {
        var fx = GoldenFixture.Load(name);
        var c = fx.Config;
        // documented in Fixtures/README.md: model_type, F, D, tied, biases, θ per fixture
        var (type, v, cw, f, h, hkv, d, tied, bias, theta) = name switch
        {
            "tied" => ("qwen2", 96, 32, 96, 4, 2, 8, true, true, 10000.0),
            "untied" => ("qwen2", 96, 32, 96, 4, 2, 8, false, true, 10000.0),
            "qwen3" => ("qwen3", 96, 32, 48, 4, 2, 16, true, false, 1e6),
            "llama3" => ("llama", 96, 32, 48, 4, 2, 8, false, false, 5e5),
            _ => ("smollm3", 48, 16, 32, 2, 1, 8, true, false, 2e6),
        };
        Assert.Equal((type, v, cw, f, 2, h, hkv, d), (c.ModelType, c.VocabSize, c.HiddenSize, c.IntermediateSize, c.LayerCount, c.HeadCount, c.KvHeadCount, c.HeadDim));
        Assert.Equal(name == "smollm3" ? [true, false] : [true, true], new[] { c.UsesRope(0), c.UsesRope(1) });
        Assert.Equal(tied, c.TieWordEmbeddings);
        Assert.Equal(bias, c.AttentionBias);
        Assert.Equal(theta, c.RopeTheta);
        Assert.Equal(1e-6f, c.RmsNormEps);
        Assert.Equal(name == "llama3", c.RopeScaling is not null);

        var expected = HfCheckpointLayout.Expected(c);
        Assert.Equal(expected.Select(s => s.Name), fx.ParameterNames);
        Assert.Equal(expected.Count, fx.Weights.Tensors.Count);
        foreach (var spec in expected)
        {
            var w = fx.Weights.Tensors[spec.Name];
            Assert.Equal(SafeTensorsDType.F32, w.DType);
            Assert.Equal(spec.Shape, w.Shape);
            Assert.All(w.Floats, v => Assert.True(float.IsFinite(v)));
        }
        Assert.Equal([h * d, cw], fx.Weights.Tensors["model.layers.1.self_attn.q_proj.weight"].Shape);   // [H·D, C]
        Assert.Equal([hkv * d, cw], fx.Weights.Tensors["model.layers.1.self_attn.k_proj.weight"].Shape);   // [Hkv·D, C]
        Assert.Equal([cw, f], fx.Weights.Tensors["model.layers.0.mlp.down_proj.weight"].Shape);      // [C, F]
        Assert.Equal(!tied, fx.Weights.Tensors.ContainsKey(HfCheckpointLayout.LmHead));
        Assert.Equal(name == "qwen3", fx.Weights.Tensors.ContainsKey("model.layers.1.self_attn.q_norm.weight"));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Golden_tensors_have_the_documented_shapes_and_metadata(string name)
    {
        var fx = GoldenFixture.Load(name);
        Assert.Equal(GoldenFixture.Format, fx.Metadata["format"]);
        Assert.Equal(GoldenFixture.Version, fx.Metadata["version"]);
        Assert.Equal("/usr/bin/python3 tools/reference/make_golden_fixtures.py", fx.RegenerateCommand);
        Assert.Equal(name, fx.Metadata["fixture"]);
        Assert.Equal((2, 12), (fx.Batch, fx.SeqLen));
        Assert.Equal(new GoldenAdamW(1e-3, 0.9, 0.95, 1e-8, 0.1, 10), fx.AdamW);

        Assert.Equal(2 * 12, fx.InputIds.Length);
        Assert.Equal(2 * 12, fx.Targets.Length);
        Assert.Equal(2 * 12 * fx.Config.VocabSize, fx.Logits.Length);
        Assert.Equal(10, fx.AdamWLosses.Length);
        Assert.Equal(SafeTensorsDType.I64, fx.File["input_ids"].DType);
        // Targets are the inputs shifted by one (the generator draws T + 1 tokens per row).
        for (int b = 0; b < fx.Batch; b++)
        {
            for (int t = 0; t + 1 < fx.SeqLen; t++) Assert.Equal(fx.InputIds[b * fx.SeqLen + t + 1], fx.Targets[b * fx.SeqLen + t]);
        }
        // One gradient per parameter, same shape, finite and not all zero; the golden file holds
        // exactly input_ids, targets, logits, loss, adamw_losses and the gradients (+ rope_inv_freq for the variants).
        bool variant = name is "qwen3" or "llama3" or "smollm3";
        Assert.Equal(fx.ParameterNames.Count + (variant ? 6 : 5), fx.File.Tensors.Count);
        Assert.Equal(variant, fx.RopeInvFreq is not null);
        foreach (var p in fx.ParameterNames)
        {
            Assert.Equal(fx.Weights.Tensors[p].Shape, fx.File["grad." + p].Shape);
            Assert.All(fx.Gradients[p], g => Assert.True(float.IsFinite(g)));
            Assert.Contains(fx.Gradients[p], g => g != 0f);
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Loss_is_the_mean_cross_entropy_of_the_stored_logits(string name)
    {
        var fx = GoldenFixture.Load(name);
        int v = fx.Config.VocabSize, rows = fx.Batch * fx.SeqLen;
        double sum = 0;
        for (int r = 0; r < rows; r++)
        {
            var row = fx.Logits.AsSpan(r * v, v);
            double max = double.NegativeInfinity;
            foreach (float x in row) max = Math.Max(max, x);
            double z = 0;
            foreach (float x in row) z += Math.Exp(x - max);
            sum += Math.Log(z) + max - row[fx.Targets[r]];
        }
        // PyTorch computed the loss in float32 from these same float32 logits; recomputing it in
        // double differs only by float32 rounding of a sum of 24 terms of size ~5 (≈ 1e-6 relative).
        const double Float32SumTolerance = 1e-5;
        Assert.Equal(sum / rows, fx.Loss, Float32SumTolerance);
        Assert.Equal(fx.Loss, fx.AdamWLosses[0]);
        Assert.True(fx.AdamWLosses[^1] < fx.AdamWLosses[0] - 0.5f, $"AdamW losses should fall visibly: {string.Join(", ", fx.AdamWLosses)}");
    }

    [Fact]
    public void Fixtures_stay_small()
    {
        long bytes = Directory.GetFiles(GoldenFixture.Root, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
        Assert.True(bytes < 1_000_000, $"fixtures take {bytes} bytes; keep them under 1 MB");
    }

    [Fact]
    public void A_fixture_of_another_version_names_the_regenerate_command()
    {
        using var dir = new TempFolder();
        string source = Path.Combine(GoldenFixture.Root, "tied");
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, dir.File(Path.GetFileName(f)));
        var golden = SafeTensorsReader.Read(dir.File("golden.safetensors"));
        var meta = golden.Metadata.ToDictionary(kv => kv.Key, kv => kv.Key == "version" ? "2" : kv.Value);
        SafeTensorsWriter.Write(dir.File("golden.safetensors"), golden.Tensors, meta);
        var ex = Assert.Throws<InvalidDataException>(() => GoldenFixture.LoadFrom(dir.Path, "tied"));
        Assert.Contains("format/version must be \"reasonrl-golden\"/\"1\", got \"reasonrl-golden\"/\"2\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("regenerate with: /usr/bin/python3 tools/reference/make_golden_fixtures.py", ex.Message, StringComparison.Ordinal);
    }
}
