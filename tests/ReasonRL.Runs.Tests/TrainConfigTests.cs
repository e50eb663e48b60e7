// Tests for TrainConfigLoader: defaults, YAML + dotted overrides, errors naming file:line, key and
// expected value, unknown keys, cross-field rules, resolved YAML round trip and hash stability.
using ReasonRL.Training;
using Xunit;

namespace ReasonRL.Runs.Tests;

public sealed class TrainConfigTests
{
    private const string Yaml = """
        run:
          output_dir: runs/exp1
          total_steps: 200
        algorithm:
          advantage: grpo
          group_size: 8
          clip_high: 0.28
        kl:
          estimator: k3
          placement: loss
          coef: 0.001
        """;

    [Fact]
    public void Defaults()
    {
        var r = TrainConfigLoader.Parse("", "empty.yaml");
        Assert.Equal(TrainConfig.Default, r.Config);
        Assert.Contains("  advantage: gae\n", r.Yaml);
        Assert.Contains("  clip_high: null\n", r.Yaml);
    }

    [Fact]
    public void FileAndOverrides()
    {
        var r = TrainConfigLoader.Parse(Yaml, "train.yaml", ["algorithm.gamma=0.99", "kl.adaptive=true", "algorithm.dual_clip=3", "algorithm.clip_high=null"]);
        var c = r.Config;
        Assert.Equal("runs/exp1", c.Run.OutputDir);
        Assert.Equal(200, c.Run.TotalSteps);
        Assert.Equal(AdvantageEstimator.Grpo, c.Algorithm.Advantage);
        Assert.Equal(8, c.Algorithm.GroupSize);
        Assert.Null(c.Algorithm.ClipHigh);
        Assert.Equal(3.0, c.Algorithm.DualClip);
        Assert.Equal(0.99, c.Algorithm.Gamma);
        Assert.Equal(KlEstimator.K3, c.Kl.Estimator);
        Assert.Equal(KlPlacement.InLoss, c.Kl.Placement);
        Assert.True(c.Kl.Adaptive);
        Assert.Equal(0.001, c.Kl.Coefficient);
    }

    [Fact]
    public void ResolvedYaml_RoundTripsWithSameHash()
    {
        var r = TrainConfigLoader.Parse(Yaml, "train.yaml", ["optim.lr=3e-6"]);
        var again = TrainConfigLoader.Parse(r.Yaml, "config.resolved.yaml");
        Assert.Equal(r.Config, again.Config);
        Assert.Equal(r.Yaml, again.Yaml);
        Assert.Equal(r.Hash, again.Hash);
        Assert.NotEqual(r.Hash, TrainConfigLoader.Parse(Yaml, "train.yaml").Hash);
        var dir = Path.Combine(Path.GetTempPath(), "rrl-cfg-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = TrainConfigLoader.SaveResolved(r, dir);
            Assert.Equal(r.Config, TrainConfigLoader.Load(path).Config);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("algorithm:\n  gamma: 1.5\n", "train.yaml:2: algorithm.gamma: is 1.5; expected a number in [0, 1]")]
    [InlineData("run:\n  seed: 1\n  total_steps: many\n", "train.yaml:3: run.total_steps: 'many' is not an integer; expected an integer in [1, 2147483647]")]
    [InlineData("kl:\n  estimator: k4\n", "train.yaml:2: kl.estimator: 'k4' is not a known value; expected one of k1, k2, k3, abs")]
    [InlineData("run:\n  tensorboard: yes\n", "train.yaml:2: run.tensorboard: 'yes' is not a boolean; expected true or false")]
    [InlineData("algorithm:\n  gama: 0.9\n", "train.yaml:2: algorithm.gama: unknown key; expected one of algorithm.advantage")]
    [InlineData("algorithm:\n  advantage: rloo\n  group_size: 1\n", "train.yaml:3: algorithm.group_size: is 1; expected ≥ 2 with the group estimator 'rloo'")]
    [InlineData("algorithm:\n  dual_clip: 0.5\n", "train.yaml:2: algorithm.dual_clip: is 0.5; expected null or a number > 1")]
    [InlineData("algorithm: [1, 2]\n", "train.yaml:1: algorithm: expected a mapping of keys under this section")]
    [InlineData("optimizer:\n  lr: 1\n", "train.yaml:2: optimizer.lr: unknown key; expected a section among run, algorithm, kl, optim, guard")]
    public void BadConfig_NamesFileLineKeyAndExpected(string yaml, string message)
    {
        var e = Assert.Throws<TrainConfigException>(() => TrainConfigLoader.Parse(yaml, "train.yaml"));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void BadOverride_NamesTheArgument()
    {
        var e = Assert.Throws<TrainConfigException>(() => TrainConfigLoader.Parse("", "t.yaml", ["kl.coef=-1"]));
        Assert.Equal("command line override #1 'kl.coef=-1': kl.coef: is -1; expected a number ≥ 0", e.Message);
        Assert.Equal("kl.coef", e.Key);
        var e2 = Assert.Throws<TrainConfigException>(() => TrainConfigLoader.Parse("", "t.yaml", ["kl.coef"]));
        Assert.Contains("expected dotted.key=value", e2.Message);
    }

    [Fact]
    public void Choices_ListEveryEnumeratedOption()
    {
        var c = TrainConfigLoader.Choices();
        Assert.Equal(AdvantageEstimators.All.Count, c.Count(x => x.Key == "algorithm.advantage"));
        Assert.Contains(c, x => x.Key == "kl.estimator" && x.Name == "k3");
        Assert.Contains(c, x => x.Key == "kl.placement" && x.Name == "loss");
        Assert.Equal(Enum.GetValues<AdvantageEstimator>().Length, AdvantageEstimators.All.Count);
        Assert.All(c, x => Assert.False(string.IsNullOrWhiteSpace(x.Description)));
    }
}
