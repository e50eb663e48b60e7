// `reasonrl lab` option tests: preset selection, overrides of seeds / designs / PPO steps, and clear
// errors for conflicting or malformed options (the run itself is tested in ReasonRL.Training.Tests/Lab).
using ReasonRL.Cli.Commands;
using ReasonRL.Runs.Lab;

namespace ReasonRL.Cli.Tests;

public sealed class LabCommandTests
{
    [Fact]
    public void Presets_and_overrides_resolve()
    {
        Assert.Equal("default", LabCommand.Resolve(false, false, null, null, null).Name);
        Assert.Equal("quick", LabCommand.Resolve(true, false, null, null, null).Name);
        Assert.Equal("full", LabCommand.Resolve(false, true, null, null, null).Name);
        var p = LabCommand.Resolve(false, false, "4, 5", "prm_clip,success", 7);
        Assert.Equal([4, 5], p.Seeds);
        Assert.Equal([LabDesign.Success, LabDesign.PrmClip], p.Designs);
        Assert.Equal(7, p.PpoSteps);
        Assert.True(LabPreset.Default.Seeds.Count >= 3);
    }

    [Fact]
    public void Bad_options_are_clear_errors()
    {
        Assert.Contains("exclude", Assert.Throws<ArgumentException>(() => LabCommand.Resolve(true, true, null, null, null)).Message, StringComparison.Ordinal);
        Assert.Contains("\"x\" is not an integer", Assert.Throws<ArgumentException>(() => LabCommand.Resolve(false, false, "1,x", null, null)).Message, StringComparison.Ordinal);
        Assert.Contains("duplicates", Assert.Throws<ArgumentException>(() => LabCommand.Resolve(false, false, "1,1", null, null)).Message, StringComparison.Ordinal);
        Assert.Contains("unknown lab design", Assert.Throws<ArgumentException>(() => LabCommand.Resolve(false, false, null, "raw", null)).Message, StringComparison.Ordinal);
        Assert.Contains("PpoSteps", Assert.Throws<ArgumentException>(() => LabCommand.Resolve(false, false, null, null, 0)).Message, StringComparison.Ordinal);
    }
}
