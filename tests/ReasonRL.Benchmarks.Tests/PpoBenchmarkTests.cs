// `reasonrl bench ppo` on the micro shape for one timed step: every phase is timed, the update's and the
// engine's tokens/s are positive and finite, and "after" runs two trainers at once with one core each.
using ReasonRL.Benchmarks;

namespace ReasonRL.Benchmarks.Tests;

public sealed class PpoBenchmarkTests
{
    [Fact]
    public void One_step_on_micro_reports_every_phase_and_a_finite_ratio()
    {
        var o = new PpoBenchmarkOptions { Size = "micro", Steps = 1, WarmupSteps = 0, Prompts = 2, RolloutsPerPrompt = 2, MaxNewTokens = 8, MiniBatchSize = 4 };
        foreach (var r in new[] { PpoBenchmark.Run(o), PpoBenchmark.Run(o with { Concurrent = 2, ReuseLogProbs = true }) })
        {
            Assert.Equal(4, r.Responses);
            Assert.True(r.GenerationMs > 0 && r.ExperienceMs > 0 && r.UpdateMs > 0);
            Assert.True(r.UpdateTokensPerSecond > 0 && double.IsFinite(r.UpdateTokensPerSecond));
            Assert.True(r.EngineTrainTokensPerSecond > 0 && double.IsFinite(r.Ratio));
            Assert.True(r.MachineStepsPerSecond > 0);
        }
    }
}
