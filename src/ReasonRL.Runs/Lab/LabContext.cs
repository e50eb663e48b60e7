// LabContext: what every lab stage receives — the run folder, the preset, the tokenizer, the generated
// problems, a progress sink and the cancellation token — plus LabProgress, the progress record the CLI
// turns into its live view. Not a stage (Lab*Stage) and not the orchestration order (LabOrchestrator).
using ReasonRL.Data.Lab;
using ReasonRL.Text;
using ReasonRL.Training;

namespace ReasonRL.Runs.Lab;

/// <summary>Progress of one task of the lab (a stage, or all PPO runs together).</summary>
/// <param name="Task">Stable key, e.g. "sft", "ppo"; one live-view line per key.</param>
/// <param name="Description">What is running now, e.g. "prm_raw seed 2 step 5/20 · success 0.31".</param>
/// <param name="Completed">Units done.</param>
/// <param name="Total">Units in all (the live view computes the ETA from the rate).</param>
/// <param name="Milestone">A result worth a line of its own in a log (a finished run), never throttled.</param>
public sealed record LabProgress(string Task, string Description, double Completed, double Total, bool Milestone = false);

/// <summary>Shared inputs of the lab's stages.</summary>
public sealed class LabContext
{
    /// <summary>Creates the context; the problems are generated from the preset's task options (deterministic).</summary>
    public LabContext(LabRunFolder folder, LabPreset preset, Action<LabProgress>? progress, CancellationToken cancellation, bool evaluateOnValidation = false)
    {
        Folder = folder ?? throw new ArgumentNullException(nameof(folder));
        Preset = (preset ?? throw new ArgumentNullException(nameof(preset))).Validate();
        Tokenizer = TokenizerSpec.Resolve(TokenizerSpec.CharLab, null);
        var generator = new LabTaskGenerator(preset.Task);
        // Validation = the train-split problems after the training set (the generator's prefix property
        // keeps the training set the same whatever the validation size): tuning never sees the test split.
        var trainSplit = generator.Generate(LabSplit.Train, preset.TrainProblems + preset.ValidationProblems);
        TrainProblems = trainSplit.Take(preset.TrainProblems).ToList();
        ValidationProblems = trainSplit.Skip(preset.TrainProblems).ToList();
        TestProblems = generator.Generate(LabSplit.Test, preset.TestProblems);
        EvaluationProblems = evaluateOnValidation ? ValidationProblems : TestProblems;
        ProblemsById = trainSplit.Concat(TestProblems).ToDictionary(p => p.Id, StringComparer.Ordinal);
        // Stages that run work at once (PPO runs, the two reward models) report from several threads: the sink
        // sees one event at a time.
        var gate = new object();
        Progress = progress is null ? _ => { } : p => { lock (gate) progress(p); };
        Cancellation = cancellation;
    }

    /// <summary>The run folder.</summary>
    public LabRunFolder Folder { get; }

    /// <summary>The validated preset.</summary>
    public LabPreset Preset { get; }

    /// <summary>The lab tokenizer.</summary>
    public ITokenizer Tokenizer { get; }

    /// <summary>Training problems.</summary>
    public IReadOnlyList<ArithmeticProblem> TrainProblems { get; }

    /// <summary>Validation problems: train-split problems never trained on, for tuning (`reasonrl lab sweep`).</summary>
    public IReadOnlyList<ArithmeticProblem> ValidationProblems { get; }

    /// <summary>Held-out (test) problems: every table row is measured on them; nothing is tuned on them.</summary>
    public IReadOnlyList<ArithmeticProblem> TestProblems { get; }

    /// <summary>The problems every policy of this context is evaluated on: the test split, or the validation split
    /// in a sweep (`reasonrl lab sweep`), which must never see the test split.</summary>
    public IReadOnlyList<ArithmeticProblem> EvaluationProblems { get; }

    /// <summary>Every problem by id.</summary>
    public IReadOnlyDictionary<string, ArithmeticProblem> ProblemsById { get; }

    /// <summary>Progress sink (never null); calls are serialised, so it may be called from any thread.</summary>
    public Action<LabProgress> Progress { get; }

    /// <summary>Cancellation of the whole run.</summary>
    public CancellationToken Cancellation { get; }

    /// <summary>The problem with id <paramref name="id"/>; a missing id is an InvalidDataException naming <paramref name="file"/>.</summary>
    public ArithmeticProblem Problem(string id, string file) => ProblemsById.TryGetValue(id, out var p)
        ? p
        : throw new InvalidDataException($"{file}: problem id \"{id}\" is not one of this preset's problems (was the folder made by another version?)");
}
