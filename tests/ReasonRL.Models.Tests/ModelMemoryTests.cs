// ModelMemory (issue 17): a config.json describing a model larger than the machine (or than
// --max-model-gib) is refused before a single tensor is read, with an HfConfigException naming
// the file, the size fields and both sizes.
namespace ReasonRL.Models.Tests;

public class ModelMemoryTests
{
    [Fact]
    public void The_estimate_is_twice_the_float32_parameters()
    {
        var config = SafeTensorsTestFiles.TinyQwen2(tied: true);
        Assert.Equal(new ParameterLayout(config).ParameterCount * 8, ModelMemory.EstimateLoadBytes(config));
    }

    [Fact]
    public void A_model_larger_than_the_machine_is_refused_before_its_weights_are_read()
    {
        using var dir = new TempFolder();
        // A valid 70B-class shape (Llama 3 70B: V 128256, C 8192, F 28672, 80 layers, 64/8 heads):
        // about 560 GB to load, more than any machine this runs on; no safetensors file at all.
        var huge = SafeTensorsTestFiles.TinyQwen2(tied: false) with
        {
            ModelType = "llama",
            AttentionBias = false,
            VocabSize = 128256,
            HiddenSize = 8192,
            IntermediateSize = 28672,
            LayerCount = 80,
            HeadCount = 64,
            KvHeadCount = 8,
            ExplicitHeadDim = null,
        };
        Assert.True(ModelMemory.EstimateLoadBytes(huge) > ModelMemory.DefaultLimitBytes);
        HfConfig.Save(Path.Combine(dir.Path, "config.json"), huge);
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<HfConfigException>(() => HfCheckpoint.Load(dir.Path));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20, "the refusal allocated more than 16 MiB");
        Assert.Equal(Path.Combine(dir.Path, "config.json"), e.Source);
        Assert.Equal("vocab_size, hidden_size, intermediate_size, num_hidden_layers", e.Field);
        Assert.Contains("this machine's memory", e.Expected, StringComparison.Ordinal);
        Assert.StartsWith("an estimated ", e.Actual, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_limit_refuses_a_small_model_and_admits_it_when_raised()
    {
        using var dir = new TempFolder();
        var config = SafeTensorsTestFiles.TinyQwen2(tied: true);
        HfCheckpoint.Save(dir.Path, config, SafeTensorsTestFiles.RandomCheckpoint(config, seed: 3));
        long need = ModelMemory.EstimateLoadBytes(config);
        var e = Assert.Throws<HfConfigException>(() => HfCheckpoint.Load(dir.Path, maxModelBytes: need - 1));
        Assert.Contains("--max-model-gib", e.Expected, StringComparison.Ordinal);
        Assert.Equal(config.HiddenSize, HfCheckpoint.Load(dir.Path, maxModelBytes: need).Config.HiddenSize);
        Assert.Equal(3L << 29, ModelMemory.GibToBytes(1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelMemory.GibToBytes(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ModelMemory.GibToBytes(double.NaN));
    }
}
