// TrainConfigException: a rejected training or SFT config (train.yaml, sft.yaml), naming where
// (file:line or the command-line override), the dotted key, what was found and what was expected.
// Core's ConfigBinder creates it for the Runs loaders; what it is not: the reward.yaml error
// (Rewards' RewardConfigException).
using ReasonRL.Core;

namespace ReasonRL.Runs;

/// <summary>Invalid training configuration (Origin, Line, Key and Problem from <see cref="ConfigException"/>).</summary>
public sealed class TrainConfigException(string source, int line, string key, string problem)
    : ConfigException(source, line, key, problem)
{
    /// <summary>The binder's error factory for this type.</summary>
    public static ConfigException Create(string source, int line, string key, string problem) => new TrainConfigException(source, line, key, problem);
}
