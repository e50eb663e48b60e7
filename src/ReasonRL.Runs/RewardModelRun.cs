// RewardModelRun: one `reasonrl train-rm` run end to end — load the labelled data (PRM: native,
// PRM800K or Math-Shepherd step labels; ORM: {question, response, correct} rows), tokenize it with the
// run's tokenizer, split off a held-out share by question group, build the model (a backbone loaded
// from an HF directory, optionally grown by identity-initialised layers, or a fresh one of a named shape, ModelShapes)
// with a fresh PRM or scalar head,
// train it (RewardModelTrainer), and write the HF directory atomically with train_rm_report.json and
// the tokenizer beside it. The lab's reward-model stage calls the same Run.
// What it is not: the trainer (Training/RewardModels) or the CLI (Cli/Commands/TrainRmCommand.cs).
using ReasonRL.Core;
using ReasonRL.Data.Datasets;
using ReasonRL.Models;
using ReasonRL.Rewards.Sources;
using ReasonRL.Tensors;
using ReasonRL.Training;
using ReasonRL.Training.RewardModels;

namespace ReasonRL.Runs;

/// <summary>Everything a reward-model run needs (the options of `reasonrl train-rm`).</summary>
public sealed record RewardModelRunOptions
{
    /// <summary>--kind: PRM (step labels) or ORM (response labels).</summary>
    public required RewardModelKind Kind { get; init; }
    /// <summary>--data: the labelled JSONL.</summary>
    public required string DataPath { get; init; }
    /// <summary>--out: the output HF directory (replaced atomically).</summary>
    public required string OutputDirectory { get; init; }
    /// <summary>--model: backbone HF directory (exclusive with <see cref="InitSize"/>).</summary>
    public string? ModelDirectory { get; init; }
    /// <summary>--init: a fresh backbone of this named shape (ModelShapes).</summary>
    public string? InitSize { get; init; }
    /// <summary>--tokenizer: "char:lab" (or "lab"), a tokenizer.json / directory; null = the model directory's.</summary>
    public string? Tokenizer { get; init; }
    /// <summary>--format of PRM data.</summary>
    public StepLabelledFormat Format { get; init; } = StepLabelledFormat.Auto;
    /// <summary>--neutral: PRM800K rating 0 counts as positive.</summary>
    public bool NeutralIsPositive { get; init; } = true;
    /// <summary>--convention / --separator: where the PRM reads each step's score.</summary>
    public PrmScoringOptions Scoring { get; init; } = new();
    /// <summary>The trainer's options (epochs, batch, lr, clipping, seed, best-of-N aggregation).</summary>
    public RewardModelTrainOptions Train { get; init; } = new();
    /// <summary>--held-out: share of question groups held out.</summary>
    public double HeldOutShare { get; init; } = 0.1;
    /// <summary>--extra-layers: decoder layers added on top of a loaded backbone (<see cref="ModelDirectory"/>), each
    /// starting as the identity (Transformer.WithExtraLayers); 0 = the backbone as loaded.</summary>
    public int ExtraLayers { get; init; }
    /// <summary>Context of a fresh backbone (<see cref="InitSize"/>).</summary>
    public int MaxPositions { get; init; } = 1024;
}

/// <summary>What a reward-model run did.</summary>
public sealed record RewardModelRunResult(RewardModelReport Report, int TrainExamples, int HeldOutExamples, int TrainLabels, int HeldOutLabels,
    long BackboneParameters, string OutputDirectory);

/// <summary>Runs `reasonrl train-rm` (see file header).</summary>
public static class RewardModelRun
{
    /// <summary>File name of the report written into the output directory.</summary>
    public const string ReportFileName = "train_rm_report.json";

    /// <summary>Trains and saves the reward model; <paramref name="started"/> is told the data sizes before training starts.</summary>
    public static RewardModelRunResult Run(RewardModelRunOptions o, IGemm gemm, Action<RewardModelProgress>? progress = null,
        Action<RewardModelRunResult>? started = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(o);
        if ((o.ModelDirectory is null) == (o.InitSize is null)) throw new ArgumentException("give exactly one of --model DIR or --init SIZE");
        string? spec = o.Tokenizer == "lab" ? TokenizerSpec.CharLab : o.Tokenizer;
        if (spec is null && o.ModelDirectory is null) throw new ArgumentException("--init needs --tokenizer (a path or \"char:lab\")");
        var tok = TokenizerSpec.Resolve(spec, o.ModelDirectory);
        o.Train.Validate();
        var examples = o.Kind == RewardModelKind.Prm
            ? StepLabelledLoader.Load(o.DataPath, new StepLabelledOptions { Format = o.Format, NeutralIsPositive = o.NeutralIsPositive })
                .Select(r => RewardModelExamples.FromRecord(tok, r, o.Scoring)).ToList()
            : OutcomeLabelledLoader.Load(o.DataPath).Select(r => RewardModelExamples.FromRecord(tok, r)).ToList();
        if (examples.Count == 0) throw new ArgumentException($"{o.DataPath}: no examples; expected labelled rows");
        int seed = (int)o.Train.Seed;
        var (train, held) = HeldOutSplit.ByGroup(examples, o.HeldOutShare, o.Train.Seed);
        if (o.ExtraLayers < 0) throw new ArgumentException($"--extra-layers must be >= 0, got {o.ExtraLayers}");
        if (o.ExtraLayers > 0 && o.ModelDirectory is null) throw new ArgumentException("--extra-layers grows a loaded backbone (--model DIR); for a fresh one pick a deeper --init shape");
        using var rm = o.ModelDirectory is not null
            ? Grown(RewardModel.Load(o.ModelDirectory, gemm, o.Kind, seed), o.ExtraLayers, seed)
            : RewardModel.Create(o.Kind, FreshBackbone(o.InitSize!, tok, gemm, seed, o.MaxPositions), seed);
        int longest = examples.Max(e => e.Tokens.Length);
        if (longest > rm.Backbone.Config.MaxPositionEmbeddings)
            throw new ArgumentException($"{o.DataPath}: an example has {longest} tokens, more than the model's max_position_embeddings {rm.Backbone.Config.MaxPositionEmbeddings}");
        var result = new RewardModelRunResult(null!, train.Count, held.Count, train.Sum(e => e.Labels.Length), held.Sum(e => e.Labels.Length),
            rm.Backbone.Layout.ParameterCount, Path.GetFullPath(o.OutputDirectory));
        started?.Invoke(result);
        RewardModelReport report;
        using (var trainer = new RewardModelTrainer(rm, o.Train))
            report = trainer.Train(train, held, progress, ct);
        AtomicDirectory.Write(o.OutputDirectory, temp =>
        {
            rm.Save(temp);
            AtomicFile.WriteAllText(Path.Combine(temp, ReportFileName), report.ToJson());
            TokenizerSpec.SaveNextTo(spec, o.ModelDirectory, temp);
        });
        return result with { Report = report };
    }

    /// <summary><paramref name="loaded"/> with <paramref name="extraLayers"/> identity-initialised layers on top of its
    /// backbone and its head kept (RewardModel.WithExtraLayers; <paramref name="loaded"/> is disposed), or itself when
    /// there are none to add.</summary>
    private static RewardModel Grown(RewardModel loaded, int extraLayers, int seed)
    {
        if (extraLayers == 0) return loaded;
        using (loaded) return loaded.WithExtraLayers(extraLayers, seed);
    }

    private static Transformer FreshBackbone(string size, Text.ITokenizer tok, IGemm gemm, int seed, int maxPositions)
    {
        var backbone = new Transformer(ModelShapes.For(size, tok.VocabSize, tok.BosId, tok.EosIds, maxPositions), gemm);
        backbone.InitializeRandom(seed);
        return backbone;
    }
}
