// ConfiguredRewardModels: opens the reward models a RewardConfig names — its `prm:` and `orm:` specs —
// as IRewardSources: an in-process directory through LoadedRewardModel (PRM with its convention, or ORM;
// the directory's head must match the section), a remote service through RemoteRewardSource. Owns what
// it opened (models, HTTP clients) and disposes them together. Used by `reasonrl serve --config`.
// Not the config parser (RewardConfigLoader) and not batching (the server coalesces calls).
using ReasonRL.Models;
using ReasonRL.Rewards.Offline;
using ReasonRL.Rewards.Sources.Remote;

namespace ReasonRL.Rewards.Sources;

/// <summary>The PRM and ORM sources of a config.</summary>
public sealed class ConfiguredRewardModels : IDisposable
{
    private readonly List<IDisposable> owned;

    private ConfiguredRewardModels(IRewardSource? prm, IRewardSource? orm, List<IDisposable> owned)
    {
        Prm = prm;
        Orm = orm;
        this.owned = owned;
        Tokenizers = owned.OfType<LoadedRewardModel>().Select(m => m.Tokenizer).ToArray();
    }

    /// <summary>The tokenizers of the in-process models, PRM first (a remote model has none here). The server strips
    /// their pad/EOS tokens from OpenRLHF queries when it is given no policy tokenizer.</summary>
    public IReadOnlyList<Text.ITokenizer> Tokenizers { get; }

    /// <summary>Step scorer for shaping, or null when the config names no PRM.</summary>
    public IRewardSource? Prm { get; }

    /// <summary>Outcome scorer, or null when the config names no ORM model.</summary>
    public IRewardSource? Orm { get; }

    /// <summary>Opens every model of <paramref name="config"/>. Errors name the section ("prm" / "orm") and the cause.</summary>
    /// <exception cref="InvalidOperationException">A model directory is missing, malformed or of the wrong kind, or a URL is rejected.</exception>
    public static ConfiguredRewardModels Open(RewardConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var owned = new List<IDisposable>();
        try
        {
            var prm = config.Prm is { } p ? OpenOne(p, RewardModelKind.Prm, "prm", owned) : null;
            var orm = config.Orm is { } o ? OpenOne(o, RewardModelKind.Orm, "orm", owned) : null;
            return new ConfiguredRewardModels(prm, orm, owned);
        }
        catch
        {
            foreach (var d in owned) d.Dispose();
            throw;
        }
    }

    private static IRewardSource OpenOne(RewardModelSpec spec, RewardModelKind kind, string section, List<IDisposable> owned)
    {
        try
        {
            if (spec.Path is { } path)
            {
                var loaded = LoadedRewardModel.Open(path, new PrmScoringOptions { Convention = spec.Convention, BatchSize = spec.BatchSize }, expected: kind);
                owned.Add(loaded);
                return loaded.Source;
            }
            var options = RemoteRewardOptions.For(spec.Url!, spec.Protocol) with { Timeout = TimeSpan.FromSeconds(spec.TimeoutSeconds) };
            options.Validate();
            var remote = new RemoteRewardSource(options);
            owned.Add(remote);
            return remote;
        }
        catch (Exception e) when (e is IOException or ArgumentException or HfCheckpointException or HfConfigException or SafeTensorsFormatException
            or Text.TokenizerFormatException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"{section}: cannot open {spec.Describe()}: {e.Message}", e);
        }
    }

    /// <summary>Disposes every opened model and client.</summary>
    public void Dispose()
    {
        foreach (var d in owned) d.Dispose();
        owned.Clear();
    }
}
