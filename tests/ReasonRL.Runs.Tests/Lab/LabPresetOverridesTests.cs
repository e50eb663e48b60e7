// `reasonrl lab --set key=value`: every key changes its one setting, and a bad key, value or range is an
// ArgumentException naming the key (the CLI prints it as one line, exit code 2).
using ReasonRL.Data.Lab;
using ReasonRL.Runs.Lab;

namespace ReasonRL.Runs.Tests.Lab;

public sealed class LabPresetOverridesTests
{
    [Fact]
    public void Keys_change_their_setting_only()
    {
        var p = LabPresetOverrides.ApplyAll(LabPreset.Default, ["policy_lr=5e-5", "sft_steps=600", "task.operand_max=12", "prm_alpha=0.5", "estimator=grpo", "perturbed_problems=10", "run_on_share=0.5", "extra_operation_share=0.25"]);
        Assert.Equal(5e-5, p.PolicyLearningRate);
        Assert.Equal(600, p.SftSteps);
        Assert.Equal(12, p.Task.OperandMax);
        Assert.Equal(0.5, p.Rewards.PrmAlpha);
        Assert.Equal("grpo", p.Estimator);
        Assert.Equal(10, p.PerturbedProblems);
        Assert.Equal(0.5, p.RunOnShare);
        Assert.Equal(0.25, p.ExtraOperationShare);
        Assert.Equal(LabPreset.Default.CriticLearningRate, p.CriticLearningRate);
        Assert.Equal(LabPreset.Default.Task.ResultMax, p.Task.ResultMax);
        Assert.Equal(LabPreset.Default, LabPresetOverrides.ApplyAll(LabPreset.Default, []));
        var e = Assert.Throws<ArgumentException>(() => (LabPreset.Default with { RunOnShare = 1.5 }).Validate());
        Assert.Contains("RunOnShare = 1.5; expected in [0, 1]", e.Message);
        e = Assert.Throws<ArgumentException>(() => (LabPreset.Default with { RunOnShare = 0.75, ExtraOperationShare = 0.5 }).Validate());
        Assert.Contains("ExtraOperationShare = 0.5; expected in [0, 1 - RunOnShare = 0.25]", e.Message);
    }

    [Fact]
    public void Reward_model_schedule_and_depth_keys()
    {
        var p = LabPresetOverrides.ApplyAll(LabPreset.Default, ["rm_schedule=cosine", "rm_warmup_steps=100", "prm_extra_layers=1"]);
        Assert.Equal(ReasonRL.Training.Ppo.LearningRateScheduleKind.Cosine, p.RewardModelSchedule);
        Assert.Equal(100, p.RewardModelWarmupSteps);
        Assert.Equal(1, p.PrmExtraLayers);
        Assert.Equal(LabPreset.Default.RewardModelLearningRate, p.RewardModelLearningRate);
        string root = Path.Combine(Path.GetTempPath(), "lab-rm-options-" + Guid.NewGuid().ToString("N"));
        try
        {
            var ctx = new LabContext(LabRunFolder.Open(root, p), p, null, CancellationToken.None);
            var options = LabRewardModelStage.Options(ctx, ReasonRL.Models.RewardModelKind.Prm, "rm/prm_data.jsonl", "rm/prm");
            Assert.Equal(1, options.ExtraLayers);
            Assert.Equal(ReasonRL.Training.Ppo.LearningRateScheduleKind.Cosine, options.Train.Schedule);
            Assert.Equal(100, options.Train.WarmupSteps);
            Assert.Equal(0, LabRewardModelStage.Options(ctx, ReasonRL.Models.RewardModelKind.Orm, "rm/orm_data.jsonl", "rm/orm").ExtraLayers);
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
        Assert.Contains("rm_schedule=linear: expected constant or cosine",
            Assert.Throws<ArgumentException>(() => LabPresetOverrides.ApplyAll(LabPreset.Default, ["rm_schedule=linear"])).Message);
        Assert.Equal(1000, LabPresetOverrides.ApplyAll(LabPreset.Default, ["prm_base_steps=1000"]).PrmBaseSteps);
        Assert.Equal(500, LabPresetOverrides.ApplyAll(LabPreset.Default, ["prm_drills=500"]).PrmDrills);
        Assert.Contains("PrmBaseSteps = -1; expected >= 0",
            Assert.Throws<ArgumentException>(() => LabPresetOverrides.ApplyAll(LabPreset.Default, ["prm_base_steps=-1"])).Message);
        Assert.Contains("PrmDrills = -1; expected >= 0",
            Assert.Throws<ArgumentException>(() => LabPresetOverrides.ApplyAll(LabPreset.Default, ["prm_drills=-1"])).Message);
        Assert.Contains("PrmExtraLayers = -1; expected >= 0",
            Assert.Throws<ArgumentException>(() => LabPresetOverrides.ApplyAll(LabPreset.Default, ["prm_extra_layers=-1"])).Message);
    }

    [Theory]
    [InlineData("restatement", UnnecessaryLineKinds.Restatement)]
    [InlineData("restatement+repeat", UnnecessaryLineKinds.Restatement | UnnecessaryLineKinds.Repeat)]
    [InlineData("inverse_check", UnnecessaryLineKinds.InverseCheck)]
    [InlineData("all", UnnecessaryLineKinds.All)]
    [InlineData("none", UnnecessaryLineKinds.None)]
    public void Unnecessary_kinds_are_joined_by_plus(string value, UnnecessaryLineKinds expected)
    {
        var p = LabPresetOverrides.ApplyAll(LabPreset.Default, ["task.unnecessary_kinds=" + value]);
        Assert.Equal(expected, p.Task.UnnecessaryKinds);
        Assert.Equal(LabPreset.Default.Task.UnnecessaryLineShare, p.Task.UnnecessaryLineShare);
    }

    [Theory]
    [InlineData("task.unnecessary_kinds=restatement,repeat", "task.unnecessary_kinds=restatement,repeat: expected restatement, repeat, inverse_check, all or none")]
    [InlineData("policy_rate=1e-4", "policy_rate: unknown key")]
    [InlineData("sft_steps=many", "sft_steps=many: expected an integer")]
    [InlineData("policy_lr=NaN", "policy_lr=NaN: expected a finite number")]
    [InlineData("policy_lr", "expected key=value")]
    [InlineData("sft_steps=0", "SftSteps = 0; expected >= 1")]
    [InlineData("estimator=ppo", "Estimator = ppo")]
    public void Bad_settings_name_the_key(string assignment, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => LabPresetOverrides.ApplyAll(LabPreset.Default, [assignment]));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_ppo_only_sweep_key_is_a_settable_key()
    {
        Assert.All(LabSweep.PpoOnlyKeys, k => Assert.Contains(k, LabPresetOverrides.Keys));
    }
}
