// RewardModel: batched scoring equals scoring each sequence alone (padding is invisible), the PRM logit is
// z₁ − z₀ of PrmHead at the position, the gathered-row backward equals the full-row head backward,
// Save/Load round-trips (HF names, architectures), and a plain causal-LM directory loads as a backbone.
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Tensors;
using System.Text.Json;
using Xunit;

namespace ReasonRL.Models.Tests;

public sealed class RewardModelTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "rm-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }

    private static RewardModel Make(RewardModelKind kind, bool tied = true, int seed = 3)
    {
        var backbone = new Transformer(ModelTestUtil.Tiny(tied), new ManagedGemm());
        ModelTestUtil.RandomizeForTests(backbone.Layout, backbone.Parameters, seed);
        var model = RewardModel.Create(kind, backbone, headSeed: seed + 1);
        var rng = new Rng((ulong)(seed + 2));
        foreach (var e in model.HeadLayout.Entries) ParameterLayout.FillNormal(rng, model.HeadParameters.View(e), 0.3f);
        return model;
    }

    [Theory]
    [InlineData(RewardModelKind.Prm)]
    [InlineData(RewardModelKind.Orm)]
    public void BatchedScoringEqualsScoringEachSequenceAlone(RewardModelKind kind)
    {
        using var model = Make(kind);
        var rng = new Random(5);
        var tokens = new List<int[]>();
        var positions = new List<int[]>();
        foreach (int length in new[] { 7, 3, 12, 1, 9 })
        {
            tokens.Add(ModelTestUtil.RandomTokens(rng, length, 11));
            positions.Add([.. Enumerable.Range(0, length).Where(p => p % 2 == 0 || p == length - 1)]);
        }
        model.ScoreBatchTokens = 24;   // several micro-batches of mixed lengths
        var batched = model.Score(tokens, positions);
        for (int s = 0; s < tokens.Count; s++)
        {
            var alone = model.Score([tokens[s]], [positions[s]])[0];
            Assert.Equal(positions[s].Length, batched[s].Length);
            for (int i = 0; i < alone.Length; i++)
            {
                Assert.InRange(batched[s][i], 0f, 1f);
                Assert.Equal(alone[i], batched[s][i], 1e-5f);
            }
        }
    }

    [Fact]
    public void PrmLogitIsPositiveMinusNegativeClassLogit()
    {
        using var model = Make(RewardModelKind.Prm);
        int[] tokens = [1, 4, 2, 8, 5, 7];
        var probability = model.Score([tokens], [[2, 5]])[0];
        model.Backbone.Forward(tokens, 1, tokens.Length);
        var a = model.Backbone.Activations;
        var hidden = a.Saved.View(a.Hidden).ToArray();
        model.Prm!.Forward(hidden, tokens.Length);
        Assert.Equal(model.Prm.PositiveProbability(2), probability[0], 1e-6f);
        Assert.Equal(model.Prm.PositiveProbability(5), probability[1], 1e-6f);
    }

    [Theory]
    [InlineData(RewardModelKind.Prm)]
    [InlineData(RewardModelKind.Orm)]
    public void GatheredBackwardEqualsFullRowHeadBackward(RewardModelKind kind)
    {
        using var model = Make(kind);
        int b = 2, t = 5, c = model.Backbone.Config.HiddenSize;
        int[] padded = [1, 2, 3, 4, 5, 6, 7, 8, 0, 0];
        int[] rows = [1, 4, 5, 7];
        float[] dl = [0.5f, -1.25f, 0.75f, 2f];
        model.Backbone.ZeroGradients();
        model.HeadGradients.Clear();
        var logits = model.ForwardLogits(padded, b, t, rows);
        model.BackwardLogits(dl);
        var gathered = model.Backbone.Gradients!.View(model.Backbone.Layout.Slab.Entries[0]).ToArray();
        var headGathered = model.HeadGradients.View(model.HeadLayout.Entries[0]).ToArray();

        // Reference: the head over all N rows, dLogits zero except at the scored rows.
        model.Backbone.ZeroGradients();
        model.HeadGradients.Clear();
        model.Backbone.Forward(padded, b, t);
        var a = model.Backbone.Activations;
        var hidden = a.Saved.View(a.Hidden).ToArray();
        var dHidden = new float[b * t * c];
        if (kind == RewardModelKind.Prm)
        {
            var z = model.Prm!.Forward(hidden, b * t).ToArray();
            var dz = new float[b * t * 2];
            for (int m = 0; m < rows.Length; m++)
            {
                Assert.Equal(z[rows[m] * 2 + 1] - z[rows[m] * 2], logits[m], 1e-5f);
                dz[rows[m] * 2] = -dl[m];
                dz[rows[m] * 2 + 1] = dl[m];
            }
            model.Prm.Backward(hidden, dz, dHidden);
        }
        else
        {
            var v = model.Orm!.Forward(hidden, b * t).ToArray();
            var dv = new float[b * t];
            for (int m = 0; m < rows.Length; m++)
            {
                Assert.Equal(v[rows[m]], logits[m], 1e-5f);
                dv[rows[m]] = dl[m];
            }
            model.Orm.Backward(hidden, dv, b * t, dHidden);
        }
        model.Backbone.Backward(dHidden);
        var full = model.Backbone.Gradients!.View(model.Backbone.Layout.Slab.Entries[0]).ToArray();
        var headFull = model.HeadGradients.View(model.HeadLayout.Entries[0]).ToArray();
        Assert.Contains(full, g => g != 0f);
        for (int i = 0; i < full.Length; i++) Assert.Equal(full[i], gathered[i], 1e-5f);
        for (int i = 0; i < headFull.Length; i++) Assert.Equal(headFull[i], headGathered[i], 1e-5f);
    }

    [Theory]
    [InlineData(RewardModelKind.Prm, true, "Qwen2ForProcessRewardModel", new[] { "score.0.weight", "score.0.bias", "score.2.weight", "score.2.bias" })]
    [InlineData(RewardModelKind.Orm, false, "Qwen2ForSequenceClassification", new[] { "score.weight" })]
    public void SaveLoadRoundTripsWithHfNames(RewardModelKind kind, bool tied, string architecture, string[] headNames)
    {
        using var model = Make(kind, tied);
        int[] tokens = [3, 1, 4, 1, 5, 9, 2, 6];
        var before = model.Score([tokens], [[0, 3, 7]])[0];
        string path = Path.Combine(dir, "rm");
        model.Save(path);
        model.Save(path);   // replacing an existing directory works and leaves no temp siblings
        Assert.Single(Directory.GetDirectories(dir));
        var names = SafeTensorsReader.Read(Path.Combine(path, "model.safetensors")).Tensors.Select(t => t.Name).ToList();
        foreach (var h in headNames) Assert.Contains(h, names);
        Assert.Contains("model.embed_tokens.weight", names);
        Assert.Equal(!tied, names.Contains("lm_head.weight"));
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(path, "config.json")));
        Assert.Equal(architecture, config.RootElement.GetProperty("architectures")[0].GetString());

        using var loaded = RewardModel.Load(path, new ManagedGemm());
        Assert.Equal(kind, loaded.Kind);
        var after = loaded.Score([tokens], [[0, 3, 7]])[0];
        Assert.Equal(before, after);
        var ex = Assert.Throws<HfCheckpointException>(() => RewardModel.Load(path, new ManagedGemm(), kind == RewardModelKind.Prm ? RewardModelKind.Orm : RewardModelKind.Prm));
        Assert.Contains("head", ex.Message);
    }

    [Fact]
    public void PlainCausalLmDirectoryLoadsAsBackboneWithFreshHead()
    {
        using var backbone = new Transformer(ModelTestUtil.Tiny(), new ManagedGemm());
        ModelTestUtil.RandomizeForTests(backbone.Layout, backbone.Parameters, 9);
        var tensors = backbone.Layout.Slab.Entries.Select(e => SafeTensorsTensor.FromFloats(e.Name, e.Shape, backbone.Parameters.View(e).ToArray())).ToList();
        string path = Path.Combine(dir, "lm");
        HfCheckpoint.Save(path, backbone.Config, tensors);

        var ex = Assert.Throws<HfCheckpointException>(() => RewardModel.Load(path, new ManagedGemm()));
        Assert.Contains("no reward head", ex.Message);
        using var a = RewardModel.Load(path, new ManagedGemm(), RewardModelKind.Prm, headSeed: 4);
        using var b = RewardModel.Load(path, new ManagedGemm(), RewardModelKind.Prm, headSeed: 4);
        Assert.Equal(backbone.Parameters.View(backbone.Layout.Embedding).ToArray(), a.Backbone.Parameters.View(a.Backbone.Layout.Embedding).ToArray());
        Assert.Equal(a.Score([[1, 2, 3]], [[2]])[0], b.Score([[1, 2, 3]], [[2]])[0]);
        Assert.Contains(a.HeadParameters.View(a.HeadLayout.Entries[0]).ToArray(), v => v != 0f);
    }

    [Theory]
    [InlineData(RewardModelKind.Prm, false)]
    [InlineData(RewardModelKind.Orm, false)]
    [InlineData(RewardModelKind.Orm, true)]
    public void ABackboneGrownByIdentityLayersScoresAsTheOriginalThenLearnsThroughThem(RewardModelKind kind, bool openRlhfHead)
    {
        using var original = openRlhfHead ? OpenRlhfCritic() : Make(kind);
        using var grown = original.WithExtraLayers(2, seed: 5);
        var grownBackbone = grown.Backbone;
        Assert.Equal(original.Backbone.Config.LayerCount + 2, grownBackbone.Config.LayerCount);
        // the head is kept as it is: its tensors (an OpenRLHF critic's value_head with its bias too) and their values
        Assert.Equal(original.HeadLayout.Entries.Select(e => e.Name), grown.HeadLayout.Entries.Select(e => e.Name));
        foreach (var e in original.HeadLayout.Entries) Assert.Equal(original.HeadParameters.View(e).ToArray(), grown.HeadParameters.View(grown.HeadLayout[e.Name]).ToArray());
        foreach (var e in original.Backbone.Layout.Slab.Entries)
            Assert.Equal(original.Backbone.Parameters.View(e).ToArray(), grownBackbone.Parameters.View(grownBackbone.Layout.Slab[e.Name]).ToArray());
        int top = grownBackbone.Config.LayerCount - 1;
        Assert.All(grownBackbone.Parameters.View(grownBackbone.Layout.Layers[top].OWeight).ToArray(), v => Assert.Equal(0f, v));
        Assert.All(grownBackbone.Parameters.View(grownBackbone.Layout.Layers[top].DownWeight).ToArray(), v => Assert.Equal(0f, v));
        Assert.Contains(grownBackbone.Parameters.View(grownBackbone.Layout.Layers[top].QWeight).ToArray(), v => v != 0f);

        // The new layers are residual identities at the start: same logits at every position.
        int[][] tokens = [[1, 2, 3, 4, 5], [6, 7, 1]];
        int[][] positions = [[0, 2, 4], [1, 2]];
        var before = original.ScoreLogits(tokens, positions);
        var after = grown.ScoreLogits(tokens, positions);
        for (int i = 0; i < before.Length; i++)
        {
            for (int j = 0; j < before[i].Length; j++) Assert.Equal(before[i][j], after[i][j], 5);
        }

        // ...and not dead: one gradient step moves a new layer's zeroed output projection.
        var (padded, rows) = RewardModel.Pack([.. tokens], [.. positions], 5);
        var logits = grown.ForwardLogits(padded, 2, 5, rows);
        grownBackbone.ZeroGradients();
        grown.HeadGradients.Clear();
        grown.BackwardLogits([.. logits.Select(_ => 1f)]);
        Assert.Contains(grownBackbone.Gradients!.View(grownBackbone.Layout.Layers[top].OWeight).ToArray(), g => g != 0f);
        Assert.Throws<ArgumentOutOfRangeException>(() => original.Backbone.WithExtraLayers(-1, 1));
    }

    /// <summary>An ORM loaded from a checkpoint whose head is OpenRLHF's value_head.weight and value_head.bias.</summary>
    private RewardModel OpenRlhfCritic()
    {
        using var backbone = new Transformer(ModelTestUtil.Tiny(), new ManagedGemm());
        ModelTestUtil.RandomizeForTests(backbone.Layout, backbone.Parameters, 11);
        var rng = new Rng(12);
        var weight = new float[backbone.Config.HiddenSize];
        ParameterLayout.FillNormal(rng, weight, 0.3f);
        var tensors = backbone.Layout.Slab.Entries.Select(e => SafeTensorsTensor.FromFloats(e.Name, e.Shape, backbone.Parameters.View(e).ToArray())).ToList();
        string path = Path.Combine(dir, "critic");
        HfCheckpoint.Save(path, backbone.Config, tensors);
        // the head beside the backbone's tensors, in the one safetensors file (HfCheckpoint.Save writes a plain model)
        tensors.Add(SafeTensorsTensor.FromFloats("value_head.weight", [1, backbone.Config.HiddenSize], weight));
        tensors.Add(SafeTensorsTensor.FromFloats("value_head.bias", [1], [0.25f]));
        SafeTensorsWriter.Write(Path.Combine(path, "model.safetensors"), tensors);
        return RewardModel.Load(path, new ManagedGemm());
    }

    [Fact]
    public void BadInputsAreRejectedWithTheSequenceNamed()
    {
        using var model = Make(RewardModelKind.Orm);
        Assert.Contains("sequence 1 position 3", Assert.Throws<ArgumentException>(() => model.Score([[1, 2], [1, 2, 3]], [[0], [3]])).Message);
        Assert.Contains("token id 11", Assert.Throws<ArgumentException>(() => model.Score([[11]], [[0]])).Message);
        Assert.Contains("max_position_embeddings", Assert.Throws<ArgumentException>(() => model.Score([new int[33]], [[0]])).Message);
        Assert.Contains("+/−", Assert.Throws<ArgumentException>(() => model.ScorePairLogits([[1]], [[0]], 11, 0)).Message);
    }
}
