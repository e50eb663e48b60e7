// ModelStore: Transformer ↔ Hugging Face directory for the trainers, and random initialisation from
// a size name. Save writes <dir>.tmp/ (config.json + model.safetensors [+ tokenizer]) and renames it
// over <dir>, so an interrupted save never leaves a half-written model where a finished one was.
// What it is not: the safetensors/HF format code (HfCheckpoint) or trainer state (CheckpointStore).
using ReasonRL.Models;
using ReasonRL.Tensors;

namespace ReasonRL.Training.Runs;

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
    public static void Save(Transformer model, string directory, string? tokenizerSpec, string? sourceDirectory)
    {
        string full = Path.GetFullPath(directory);
        string tmp = full + ".tmp";
        if (Directory.Exists(tmp)) Directory.Delete(tmp, true);
        HfCheckpoint.Save(tmp, model.Config, Tensors(model));
        TokenizerSpec.SaveNextTo(tokenizerSpec, sourceDirectory, tmp);
        string old = full + ".old";
        if (Directory.Exists(old)) Directory.Delete(old, true);
        if (Directory.Exists(full)) Directory.Move(full, old);
        Directory.Move(tmp, full);
        if (Directory.Exists(old)) Directory.Delete(old, true);
    }

    /// <summary>
    /// A randomly initialised Qwen2-style model: <paramref name="size"/> is an anchor size (tiny, small, medium)
    /// "lab" (4 layers, width 128, 4 heads / 2 KV heads, SwiGLU 384: fast on 2 CPU cores) or "micro" (2 layers,
    /// width 32, SwiGLU 64: tests and smoke runs); the vocabulary,
    /// BOS/EOS ids and context come from the tokenizer and <paramref name="maxPositions"/>.
    /// </summary>
    public static ModelConfig ConfigFor(string size, int vocabSize, int? bosId, IReadOnlyList<int> eosIds, int maxPositions)
    {
        var baseConfig = size switch
        {
            "lab" => new ModelConfig(),
            "micro" => new ModelConfig { HiddenSize = 32, IntermediateSize = 64, LayerCount = 2, HeadCount = 4, KvHeadCount = 2 },
            _ => ModelConfig.Anchor(size),
        };
        return (baseConfig with { VocabSize = vocabSize, BosTokenId = bosId, EosTokenIds = eosIds, MaxPositionEmbeddings = maxPositions }).Validate();
    }
}
