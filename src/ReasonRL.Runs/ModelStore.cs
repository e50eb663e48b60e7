// ModelStore: Transformer ↔ Hugging Face directory for the trainers, and random initialisation from
// a size name. Save writes <dir>.tmp/ (config.json + model.safetensors + the tokenizer and its companion
// files, TokenizerSpec.SaveNextTo) and renames it
// over <dir>, so an interrupted save never leaves a half-written model where a finished one was.
// What it is not: the safetensors/HF format code (HfCheckpoint) or trainer state (CheckpointStore).
using ReasonRL.Core;
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Training;

namespace ReasonRL.Runs;

/// <summary>Loads, saves and creates policy models.</summary>
public static class ModelStore
{
    /// <summary>Loads an HF directory into a new Transformer.</summary>
    public static Transformer Load(string directory, IGemm gemm)
    {
        var checkpoint = HfCheckpoint.Load(directory);
        var model = new Transformer(checkpoint.Config, gemm);
        model.LoadParameters(checkpoint.Floats);
        return model;
    }

    /// <summary>Every parameter as a float tensor named by its HF key (copies).</summary>
    public static IReadOnlyList<SafeTensorsTensor> Tensors(Transformer model) =>
        [.. model.Layout.Slab.Entries.Select(e => SafeTensorsTensor.FromFloats(e.Name, e.Shape, model.Parameters.View(e).ToArray()))];

    /// <summary>Copies parameters from checkpoint tensors (names and sizes must match the layout).</summary>
    public static void LoadTensors(Transformer model, IReadOnlyDictionary<string, float[]> byName) =>
        model.LoadParameters(name => byName.TryGetValue(name, out var v) ? v : throw new InvalidDataException($"checkpoint: tensor '{name}' is missing"));

    /// <summary>Saves atomically as an HF directory; <paramref name="tokenizerSpec"/>/<paramref name="sourceDirectory"/> as in TokenizerSpec.SaveNextTo.</summary>
    public static void Save(Transformer model, string directory, string? tokenizerSpec, string? sourceDirectory) =>
        AtomicDirectory.Write(directory, temp =>
        {
            HfCheckpoint.Save(temp, model.Config, Tensors(model));
            TokenizerSpec.SaveNextTo(tokenizerSpec, sourceDirectory, temp);
        });

    /// <summary>Re-saves the model folder <paramref name="source"/> as <paramref name="destination"/> (replaced
    /// atomically), optionally as another float dtype or sharded, with the source's tokenizer and companion files
    /// (TokenizerSpec.SaveNextTo): what `reasonrl checkpoint convert` runs. Returns the loaded checkpoint.</summary>
    public static HfCheckpoint Convert(string source, string destination, SafeTensorsDType? dtype, long maxShardBytes, long? maxModelBytes)
    {
        var checkpoint = HfCheckpoint.Load(source, maxModelBytes: maxModelBytes);
        AtomicDirectory.Write(destination, temp =>
        {
            checkpoint.SaveAs(temp, dtype, maxShardBytes);
            TokenizerSpec.SaveNextTo(null, source, temp);
        });
        return checkpoint;
    }

    /// <summary>A randomly initialised model's config: the named shape <paramref name="size"/> (ModelShapes:
    /// micro, lab, tiny, small, medium) with the tokenizer's vocabulary and BOS/EOS ids and <paramref name="maxPositions"/>.</summary>
    public static ModelConfig ConfigFor(string size, int vocabSize, int? bosId, IReadOnlyList<int> eosIds, int maxPositions) =>
        ModelShapes.For(size, vocabSize, bosId, eosIds, maxPositions);
}
