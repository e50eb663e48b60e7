// The benchmark's FLOP and parameter conventions must be the anchor's: for every anchor size, the
// parameter count, matmul parameter count N, training FLOPs/token and sampling FLOPs/generated token
// computed here equal the values PyTorch's scripts wrote into ../shared/anchors/results/*.json;
// and AnchorResults reads the figures the comparison prints.
using ReasonRL.Benchmarks;
using ReasonRL.Models;
using ReasonRL.Tests;
using System.Text.Json;
using Xunit;

namespace ReasonRL.Benchmarks.Tests;

public sealed class EngineBenchmarkConventionTests
{
    [SharedDataTheory]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    [InlineData("tiny"), InlineData("small"), InlineData("medium")]
    public void FlopsAndParameterCountsEqualTheAnchorFiles(string size)
    {
        var cfg = ModelConfig.Anchor(size);
        using var train = JsonDocument.Parse(File.ReadAllBytes(SharedData.PathOf($"anchors/results/train_{size}.json")));
        using var sample = JsonDocument.Parse(File.ReadAllBytes(SharedData.PathOf($"anchors/results/sample_{size}_b64.json")));
        var t = train.RootElement;
        Assert.Equal(t.GetProperty("params").GetInt64(), new ParameterLayout(cfg).ParameterCount);
        Assert.Equal(t.GetProperty("matmul_params").GetProperty("total").GetInt64(), EngineBenchmark.MatmulParameters(cfg));
        Assert.Equal(t.GetProperty("model_flops_per_token").GetDouble(), EngineBenchmark.TrainFlopsPerToken(cfg, t.GetProperty("seq").GetInt32()), 6);
        var s = sample.RootElement;
        Assert.Equal(s.GetProperty("model_flops_per_generated_token").GetDouble(),
            EngineBenchmark.SampleFlopsPerToken(cfg, s.GetProperty("prompt").GetInt32(), s.GetProperty("new_tokens").GetInt32()), 6);
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void AnchorResultsReadsDefaultAndBestFigures()
    {
        var folder = SharedData.PathOf("anchors/results");
        var tiny = AnchorResults.Load(folder, "tiny");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "train_tiny.json")));
        Assert.Equal(doc.RootElement.GetProperty("tokens_per_s").GetDouble(), tiny.Train!.Default);
        Assert.True(tiny.Train.Best >= tiny.Train.Default);
        Assert.Equal(4, tiny.Train.Variants);
        Assert.NotNull(tiny.SampleB64);
        Assert.NotNull(tiny.SampleB1);
        Assert.Contains("logical CPUs", tiny.Machine);
        Assert.True(AnchorResults.PeakGflops(folder) > 0);
    }

    /// <summary>A PyTorch run made before sgemm.json existed has no "mfu": it is derived from achieved_gflops, or left out.</summary>
    [Fact]
    public void AnchorMfuFallsBackToAchievedGflopsOverThePeak()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"reasonrl-anchors-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            File.WriteAllText(Path.Combine(folder, "train_tiny.json"), """{"tokens_per_s": 5000, "achieved_gflops": 46.0, "env": {"cpu": "test cpu", "logical_cpus": 2}}""");
            Assert.Null(AnchorResults.Load(folder, "tiny").TrainMfu);   // no peak to divide by
            File.WriteAllText(Path.Combine(folder, "sgemm.json"), """{"peak_gflops": 184.0}""");
            var tiny = AnchorResults.Load(folder, "tiny");
            Assert.Equal(5000, tiny.Train!.Default);
            Assert.Equal(0.25, tiny.TrainMfu!.Default, 12);
            File.WriteAllText(Path.Combine(folder, "train_tiny.json"), """{"achieved_gflops": 46.0}""");
            var error = Assert.Throws<InvalidDataException>(() => AnchorResults.Load(folder, "tiny"));
            Assert.Contains("train_tiny.json", error.Message);
            Assert.Contains("tokens_per_s", error.Message);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
