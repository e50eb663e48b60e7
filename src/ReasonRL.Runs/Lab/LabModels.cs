// LabModels: the lab's tokenizer and the policy's save / load / copy (HF directories: config.json +
// model.safetensors), shared by every stage. Not a trainer and not a checkpoint store for resume
// (CheckpointStore); these are the run's final models.
using ReasonRL.Data.Lab;
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Text;
using ReasonRL.Training;

namespace ReasonRL.Runs.Lab;

/// <summary>Tokenizer and model IO of the lab.</summary>
public static class LabModels
{
    /// <summary>The lab tokenizer: one id per character of <see cref="LabTask.Alphabet"/> after the
    /// specials &lt;pad&gt; &lt;bos&gt; &lt;eos&gt; &lt;unk&gt; (58 ids).</summary>
    public static CharTokenizer Tokenizer() => new(LabTask.Alphabet);

    /// <summary>The GEMM every lab model uses (managed, multi-threaded; no native library needed).</summary>
    public static IGemm Gemm() => GemmFactory.Create(GemmKind.Managed);

    /// <summary>A freshly initialised policy of <paramref name="preset"/>'s shape.</summary>
    public static Transformer NewPolicy(LabPreset preset, ITokenizer tokenizer, int seed)
    {
        ArgumentNullException.ThrowIfNull(preset);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var config = preset.Policy.ToConfig(tokenizer.VocabSize, tokenizer.BosId, tokenizer.EosIds, preset.MaxPositions);
        var model = new Transformer(config, Gemm());
        model.InitializeRandom(seed);
        return model;
    }

    /// <summary>Saves <paramref name="model"/>'s parameters and config as an HF directory, atomically.</summary>
    public static void Save(Transformer model, string directory)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tensors = model.Layout.Slab.Entries
            .Select(e => SafeTensorsTensor.FromFloats(e.Name, e.Shape, model.Parameters.View(e).ToArray()))
            .ToList();
        LabRunFolder.WriteDirectoryAtomic(directory, temp => HfCheckpoint.Save(temp, model.Config, tensors));
    }

    /// <summary>Loads an HF directory written by <see cref="Save"/> (or any Qwen2 checkpoint) into a new model.</summary>
    public static Transformer Load(string directory)
    {
        var checkpoint = HfCheckpoint.Load(directory);
        var model = new Transformer(checkpoint.Config, Gemm());
        model.LoadParameters(checkpoint.Floats);
        return model;
    }
}
