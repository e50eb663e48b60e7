// `reasonrl lab` option tests: preset selection, overrides of seeds / designs / PPO steps / --set, and
// clear errors for conflicting or malformed options; and `lab` and `lab sweep` run through the real
// command on a tiny setting (micro policy, a few problems and steps), printing their tables to the end
// (the stages themselves are tested in ReasonRL.Runs.Tests/Lab).
using ReasonRL.Cli.Commands;
using ReasonRL.Runs;
using ReasonRL.Runs.Lab;
using ReasonRL.Text;
using System.CommandLine;

namespace ReasonRL.Cli.Tests;

public sealed class LabCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rrl-lab-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static readonly string[] Tiny =
    [
        "--set", "train_problems=40", "--set", "test_problems=8", "--set", "validation_problems=8", "--set", "perturbed_problems=6",
        "--set", "policy_size=micro", "--set", "sft_steps=6", "--set", "sft_batch_size=8", "--set", "sample_problems=8",
        "--set", "samples_per_problem=2", "--set", "rm_batch_size=8", "--set", "prompts_per_step=3", "--set", "rollouts_per_prompt=2",
        "--set", "mini_batch_size=6", "--set", "max_new_tokens=40", "--set", "prm_base_steps=6",
    ];

    private static readonly ITokenizer LabTaskTokenizer = TokenizerSpec.Resolve(TokenizerSpec.CharLab, null);

    private static (int Code, string Out, string Err) Run(params string[] args) => CliHarness.Run(args);

    [Fact]
    [Trait("Lane", "Slow")]
    public void Lab_and_sweep_run_through_the_command_and_print_their_tables()
    {
        string lab = Path.Combine(_dir, "lab");
        var (code, output, error) = Run(["lab", "--quick", "--designs", "success,prm_raw", "--steps", "2", "--out", lab, .. Tiny]);
        Assert.True(code == 0, error + output);
        Assert.Contains("paired differences", output, StringComparison.Ordinal);
        Assert.Contains("success + PRM raw − success only", output, StringComparison.Ordinal);
        Assert.Contains("PRM on unseen validation responses: AUC", output, StringComparison.Ordinal);
        Assert.Contains("report:", output, StringComparison.Ordinal);
        Assert.Contains("machine: ", output, StringComparison.Ordinal);
        Assert.Contains("logical CPUs", output, StringComparison.Ordinal);
        Assert.Contains("wall time of this command", output, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(lab, "prm_base", "model", "config.json")), "no PRM base model");
        string report = File.ReadAllText(Path.Combine(lab, "report.html"));
        Assert.Contains("Rerun: <code>reasonrl lab --quick --seeds 1 --designs success,prm_raw --steps 2 --set train_problems=40", report, StringComparison.Ordinal);
        Assert.Contains("The paper's table beside ours", report, StringComparison.Ordinal);
        // Every model folder the lab saved (SFT policy, PRM, ORM, the PPO policies) carries its character tokenizer
        // as tokenizer.json and tokenizer_config.json, read back by the generic loader (issue 17).
        var modelFolders = Directory.GetFiles(lab, "config.json", SearchOption.AllDirectories).Select(f => Path.GetDirectoryName(f)!).ToList();
        Assert.True(modelFolders.Count >= 4, "model folders: " + string.Join(", ", modelFolders));
        foreach (string folder in modelFolders)
        {
            Assert.True(File.Exists(Path.Combine(folder, "tokenizer_config.json")), folder + " has no tokenizer_config.json");
            var tokenizer = Assert.IsType<CharTokenizer>(TokenizerLoader.Load(folder));
            Assert.Equal(LabTaskTokenizer.VocabSize, tokenizer.VocabSize);
        }

        string sweep = Path.Combine(_dir, "sweep");
        (code, output, error) = Run(["lab", "sweep", "--quick", "--seeds", "1", "--set", "ppo_steps=1", "--grid", "policy_lr=1e-5,2e-5", "--out", sweep, .. Tiny]);
        Assert.True(code == 0, error + output);
        Assert.Contains("| policy_lr=2e-5 |", output, StringComparison.Ordinal);
        Assert.Contains("**yes**", File.ReadAllText(Path.Combine(sweep, "sweep.md")), StringComparison.Ordinal);

        (code, _, error) = Run("lab", "sweep", "--grid", "lr=1", "--out", sweep);
        Assert.Equal(2, code);
        Assert.Contains("--grid lr: unknown key", error, StringComparison.Ordinal);
        (code, _, error) = Run("lab", "--set", "sft_steps=zero", "--out", lab);
        Assert.Equal(2, code);
        Assert.Contains("--set sft_steps=zero: expected an integer", error, StringComparison.Ordinal);
    }

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
