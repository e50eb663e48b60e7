// MetricNames: the standard metric keys (slash-grouped for TensorBoard) that trainers report and
// run folders write. What it is not: a writer (ReasonRL.Runs.MetricsWriter).
namespace ReasonRL.Training;

/// <summary>Standard metric names (slash-grouped for TensorBoard).</summary>
public static class MetricNames
{
#pragma warning disable CS1591 // self-describing constants
    public const string SuccessReward = "reward/success";
    public const string LearnedReward = "reward/learned";
    public const string TotalReward = "reward/total";
    public const string Kl = "policy/kl";
    public const string KlCoefficient = "policy/kl_coef";
    public const string Entropy = "policy/entropy";
    public const string ClipFraction = "policy/clip_fraction";
    public const string ApproxKl = "policy/approx_kl";
    public const string PolicyLoss = "loss/policy";
    public const string ValueLoss = "loss/value";
    public const string ResponseLength = "response/length";
    public const string StepsPerResponse = "response/steps";
    public const string RepeatedStepRate = "response/repeated_step_rate";
    public const string TruncationRate = "response/truncation_rate";
    public const string LearnedSuccessCorrelation = "hacking/learned_success_corr";
    public const string HackingWarning = "hacking/warning";
    public const string SkippedUpdates = "guard/skipped_updates";
#pragma warning restore CS1591
}
