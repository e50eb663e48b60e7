// RewardModelSpec: where a reward.yaml's learned reward model comes from — an in-process model
// directory (`path:`, loaded through LoadedRewardModel: HF config + safetensors with a PRM or ORM head,
// tokenizer.json beside it) or a remote service (`url:` + `protocol:`, through RemoteRewardSource).
// The `prm:` section's spec scores steps; the `orm:` section's spec scores whole responses.
// Not the loader (ConfiguredRewardModels opens the specs) and not the YAML parser (RewardConfigLoader).
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Sources.Remote;

namespace ReasonRL.Rewards.Offline;

/// <summary>An in-process or remote reward model.</summary>
/// <param name="Path">Model directory (absolute, resolved against the config file's folder), or null for a remote model.</param>
/// <param name="Url">Remote endpoint (e.g. http://10.0.0.5:8000/v1/rewards), or null for an in-process model.</param>
/// <param name="Protocol">Remote wire protocol (native returns per-step scores; openrlhf one score per sample).</param>
/// <param name="Convention">In-process PRM: where step scores are read (step_end, separator, math_shepherd).</param>
/// <param name="TimeoutSeconds">Remote: per-attempt timeout, e.g. 30.</param>
/// <param name="BatchSize">In-process: sequences per scoring micro-batch, e.g. 64.</param>
public sealed record RewardModelSpec(string? Path, Uri? Url, RemoteProtocol Protocol = RemoteProtocol.Native,
    PrmConvention Convention = PrmConvention.StepEndToken, double TimeoutSeconds = 30, int BatchSize = 64)
{
    /// <summary>"path DIR (step_end)" or "url URL (native)", for logs.</summary>
    public string Describe() => Path is not null
        ? $"path {Path} ({Convention})"
        : $"url {Url} ({Protocol.ToString().ToLowerInvariant()})";
}
