// ServeSettings: the `serve:` section of reward.yaml, the server's own keys besides its command-line flags:
//   serve:
//     strip_tokens: ["<|endoftext|>", "<|im_end|>"]   # = --strip-tokens (a list of token strings)
//     on_error: fail                                  # = --on-error: fail, or a finite reward
//     max_queued_samples: 65536                       # = --max-queued-samples (an integer ≥ 1)
// RewardConfigLoader keeps the section's raw text (RewardConfig.ServeYaml, line numbers kept); this parses it
// through Core's ConfigBinder, so an error names file:line and the dotted key (`serve.on_error`). A flag given on
// the command line wins over the key (ApplyTo). Not the reward config (RewardConfigLoader) and not ServerOptions'
// range checks (ServerOptions.Validate).
using ReasonRL.Core;
using ReasonRL.Rewards.Offline;
using System.Globalization;

namespace ReasonRL.Server;

/// <param name="StripTokens">serve.strip_tokens, or null when absent.</param>
/// <param name="OnErrorSet">Whether serve.on_error is given.</param>
/// <param name="OnErrorReward">serve.on_error: null = fail, else the reward of a sample that cannot be scored.</param>
/// <param name="MaxQueuedSamples">serve.max_queued_samples, or null when absent.</param>
/// <param name="File">The config file, for messages.</param>
public sealed record ServeSettings(IReadOnlyList<string>? StripTokens, bool OnErrorSet, double? OnErrorReward, int? MaxQueuedSamples, string File)
{
    public const string StripTokensKey = "strip_tokens";
    public const string OnErrorKey = "on_error";
    public const string MaxQueuedSamplesKey = "max_queued_samples";

    private static readonly string[] Keys = [StripTokensKey, OnErrorKey, MaxQueuedSamplesKey];

    /// <summary>The settings of <paramref name="config"/>'s serve: section, or null when it has none.</summary>
    /// <exception cref="RewardConfigException">A key is unknown or its value is not what it expects (names serve.KEY).</exception>
    public static ServeSettings? From(RewardConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return config.ServeYaml is { } yaml ? Parse(yaml, config.File) : null;
    }

    /// <summary>Parses the text of a serve: section (its keys at the top level).</summary>
    /// <exception cref="RewardConfigException">A key is unknown or its value is not what it expects (names serve.KEY).</exception>
    public static ServeSettings Parse(string yaml, string file)
    {
        var b = ConfigBinder.Parse(yaml, file, error: (origin, line, key, problem) =>
            new RewardConfigException(origin, line, key is "(root)" ? "serve" : key.StartsWith('(') ? key : "serve." + key, problem));
        if (b.IsEmpty) return new ServeSettings(null, false, null, null, file);
        b.Section("", Keys);
        var strip = b.StringList(StripTokensKey, "a token string such as \"<|endoftext|>\"");
        double? reward = null;
        if (b.IsSet(OnErrorKey))
        {
            var text = b.String(OnErrorKey, "", "fail or a finite number");
            if (text != "fail")
            {
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) || !double.IsFinite(r))
                {
                    b.Fail(OnErrorKey, $"'{text}'; expected fail or a finite number (the reward of a sample that cannot be scored)");
                }
                reward = r;
            }
        }
        int? maxQueued = b.IsSet(MaxQueuedSamplesKey) ? (int)b.Long(MaxQueuedSamplesKey, 0, 1, int.MaxValue) : null;
        return new ServeSettings(strip, b.IsSet(OnErrorKey), reward, maxQueued, file);
    }

    /// <summary><paramref name="options"/> with each key this section sets, except the keys named in
    /// <paramref name="fromCommandLine"/> (their flags were given and win).</summary>
    /// <exception cref="ArgumentException">max_queued_samples is below the options' MaxSamplesPerRequest (names the key).</exception>
    public ServerOptions ApplyTo(ServerOptions options, IReadOnlyCollection<string>? fromCommandLine = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        bool Use(string key) => fromCommandLine is null || !fromCommandLine.Contains(key);
        if (StripTokens is not null && Use(StripTokensKey)) options = options with { StripTokens = StripTokens };
        if (OnErrorSet && Use(OnErrorKey)) options = options with { OnErrorReward = OnErrorReward };
        if (MaxQueuedSamples is { } q && Use(MaxQueuedSamplesKey))
        {
            if (q < options.MaxSamplesPerRequest)
            {
                throw new ArgumentException($"{File}: serve.{MaxQueuedSamplesKey}: {q}; expected ≥ the samples one request may carry ({options.MaxSamplesPerRequest}, --max-samples-per-request)");
            }
            options = options with { MaxQueuedSamples = q };
        }
        return options;
    }
}
