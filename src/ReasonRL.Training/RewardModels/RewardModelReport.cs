// RewardModelReport: what a reward-model training run measured — the final training loss and the
// held-out figures (RewardModelMetrics): loss, step accuracy at threshold 0.5, the majority-class baseline
// it must beat, AUC, and best-of-N accuracy when examples come in groups. Written as JSON by train-rm
// (ToJson: NaN → null). Not the metrics' formulas (RewardModelMetrics).
using System.Text;
using System.Text.Json;

namespace ReasonRL.Training.RewardModels;

public sealed record RewardModelReport
{
    /// <summary>"prm" or "orm".</summary>
    public required string Kind { get; init; }

    /// <summary>Mean BCE over the last epoch's training batches.</summary>
    public required double TrainLoss { get; init; }

    /// <summary>Mean BCE over held-out positions.</summary>
    public required double HeldOutLoss { get; init; }

    /// <summary>Held-out accuracy of σ(l) ≥ 0.5.</summary>
    public required double StepAccuracy { get; init; }

    /// <summary>Held-out accuracy of always predicting the training set's majority class.</summary>
    public required double MajorityBaseline { get; init; }

    /// <summary>Held-out ROC AUC (ties averaged; NaN when one class is absent).</summary>
    public required double Auc { get; init; }

    /// <summary>Best-of-N accuracy under the options' aggregation, or null without groups.</summary>
    public double? BestOfNAccuracy { get; init; }

    /// <summary>Best-of-N per aggregation (PRM: min, last, product, mean; ORM: "score"), with its baselines.</summary>
    public IReadOnlyDictionary<string, BestOfNResult> BestOfN { get; init; } = new Dictionary<string, BestOfNResult>();

    public required int TrainExamples { get; init; }
    public required int TrainPositions { get; init; }
    public required int HeldOutExamples { get; init; }
    public required int HeldOutPositions { get; init; }

    /// <summary>Share of held-out labels that are positive.</summary>
    public required double HeldOutPositiveRate { get; init; }

    public required int Epochs { get; init; }
    public required long Steps { get; init; }
    public required int SkippedSteps { get; init; }
    public required double Seconds { get; init; }

    /// <summary>Indented JSON (snake_case; non-finite numbers → null).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("kind", Kind);
            Number(w, "train_loss", TrainLoss);
            Number(w, "held_out_loss", HeldOutLoss);
            Number(w, "step_accuracy", StepAccuracy);
            Number(w, "majority_baseline", MajorityBaseline);
            Number(w, "auc", Auc);
            if (BestOfNAccuracy is { } b) Number(w, "best_of_n_accuracy", b); else w.WriteNull("best_of_n_accuracy");
            w.WriteStartObject("best_of_n");
            foreach (var (name, r) in BestOfN)
            {
                w.WriteStartObject(name);
                w.WriteNumber("groups", r.Groups);
                Number(w, "accuracy", r.Accuracy);
                Number(w, "random_pick", r.RandomPick);
                Number(w, "oracle", r.Oracle);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteNumber("train_examples", TrainExamples);
            w.WriteNumber("train_positions", TrainPositions);
            w.WriteNumber("held_out_examples", HeldOutExamples);
            w.WriteNumber("held_out_positions", HeldOutPositions);
            Number(w, "held_out_positive_rate", HeldOutPositiveRate);
            w.WriteNumber("epochs", Epochs);
            w.WriteNumber("steps", Steps);
            w.WriteNumber("skipped_steps", SkippedSteps);
            Number(w, "train_seconds", Seconds);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, Math.Round(value, 6));
        else w.WriteNull(name);
    }
}
