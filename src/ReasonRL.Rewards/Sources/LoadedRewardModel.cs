// LoadedRewardModel: opens a reward-model directory (RewardModel.Load: HF config + safetensors with a PRM
// or ORM head) together with its tokenizer and wraps it in the matching IRewardSource — PrmRewardSource
// for a PRM (with the given convention), OrmRewardSource for an ORM. A Math-Shepherd PRM has no head
// (it reads the LM head's "+"/"−" logits), so with that convention a plain causal-LM directory is accepted.
// Used by `reasonrl eval --rm DIR` (best-of-N) and by `reasonrl serve` configs (in-process prm/orm).
// Owns the model; dispose it after the last score. Not a trainer and not a source of its own.
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Text;

namespace ReasonRL.Rewards.Sources;

/// <summary>A reward model loaded from a directory, with its source.</summary>
public sealed class LoadedRewardModel : IDisposable
{
    private LoadedRewardModel(RewardModel model, ITokenizer tokenizer, IRewardSource source)
    {
        Model = model;
        Tokenizer = tokenizer;
        Source = source;
    }

    /// <summary>The model (owned).</summary>
    public RewardModel Model { get; }

    /// <summary>The tokenizer the source encodes with.</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>PrmRewardSource or OrmRewardSource over the model.</summary>
    public IRewardSource Source { get; }

    /// <summary>Parses a PRM convention: "step_end", "separator" or "math_shepherd" (case-insensitive; '-' = '_').</summary>
    public static PrmConvention ParseConvention(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.ToLowerInvariant().Replace('-', '_') switch
        {
            "step_end" => PrmConvention.StepEndToken,
            "separator" => PrmConvention.SeparatorToken,
            "math_shepherd" => PrmConvention.MathShepherd,
            _ => throw new ArgumentException($"unknown PRM convention \"{text}\"; expected step_end, separator or math_shepherd", nameof(text)),
        };
    }

    /// <summary>Loads <paramref name="directory"/>. The tokenizer is the directory's tokenizer.json when
    /// it has one, else <paramref name="fallbackTokenizer"/> (e.g. the policy's, when the RM was trained
    /// from it); <paramref name="prmOptions"/> apply when the model is a PRM.</summary>
    /// <param name="expected">When set, the kind the directory must hold (a "prm:" or "orm:" config entry).</param>
    /// <exception cref="HfCheckpointException">No reward head, a misshapen head, or the wrong kind.</exception>
    /// <exception cref="ArgumentException">No tokenizer, or a convention token missing from the vocabulary.</exception>
    public static LoadedRewardModel Open(string directory, PrmScoringOptions? prmOptions = null, ITokenizer? fallbackTokenizer = null,
        RewardModelKind? expected = null, IGemm? gemm = null)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"reward model directory {directory} does not exist");
        var options = prmOptions ?? PrmScoringOptions.Default;
        bool shepherd = options.Convention == PrmConvention.MathShepherd && expected != RewardModelKind.Orm;
        ITokenizer tokenizer = TokenizerLoader.DirectoryCandidates.Any(f => File.Exists(Path.Combine(directory, f)))
            ? TokenizerLoader.Load(directory)
            : fallbackTokenizer ?? throw new ArgumentException($"reward model directory {directory} has no tokenizer.json and no fallback tokenizer was given", nameof(fallbackTokenizer));
        var model = RewardModel.Load(directory, gemm ?? GemmFactory.Create(GemmKind.Managed), shepherd ? RewardModelKind.Prm : expected);
        try
        {
            if (expected is { } k && model.Kind != k)
                throw new HfCheckpointException(directory, "score.*", $"holds a {model.Kind.ToString().ToUpperInvariant()} head but a {k.ToString().ToUpperInvariant()} was asked for");
            IRewardSource source = model.Kind == RewardModelKind.Prm
                ? new PrmRewardSource(model, tokenizer, options)
                : new OrmRewardSource(model, tokenizer);
            return new LoadedRewardModel(model, tokenizer, source);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Disposes the model.</summary>
    public void Dispose() => Model.Dispose();
}
