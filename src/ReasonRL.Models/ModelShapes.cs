// ModelShapes: the one table of named model shapes used everywhere a size is given by name —
// `reasonrl sft model.size=…`, `reasonrl train-rm --init …`, the lab's policy and the benchmark
// anchors. micro and lab are small char-level shapes for tests and the lab; tiny, small and medium
// are the PyTorch anchor configurations (../shared/anchors). A caller sets the vocabulary, BOS/EOS
// ids and context from its tokenizer; the anchor vocabularies here are the benchmarks'.
// What it is not: a config reader (HfConfig) or a validator (ModelConfig.Validate).
namespace ReasonRL.Models;

/// <summary>Named model shapes.</summary>
public static class ModelShapes
{
    /// <summary>Every name, smallest first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["micro", "lab", "tiny", "small", "medium"];

    /// <summary>The anchor names (benchmarked against PyTorch).</summary>
    public static IReadOnlyList<string> AnchorNames { get; } = ["tiny", "small", "medium"];

    /// <summary>The shape called <paramref name="name"/>; throws ArgumentException listing the names.</summary>
    public static ModelConfig Of(string name) => name switch
    {
        // 2 layers, width 32: tests and smoke runs.
        "micro" => new() { VocabSize = 64, HiddenSize = 32, LayerCount = 2, HeadCount = 4, KvHeadCount = 2, IntermediateSize = 64 },
        // The lab's policy (≈ 0.3 M parameters with the lab's 58-character vocabulary): fast on 2 cores.
        "lab" => new() { VocabSize = 64, HiddenSize = 96, LayerCount = 3, HeadCount = 4, KvHeadCount = 2, IntermediateSize = 256 },
        "tiny" => new() { VocabSize = 64, HiddenSize = 128, LayerCount = 4, HeadCount = 4, KvHeadCount = 2, IntermediateSize = 384 },
        "small" => new() { VocabSize = 1024, HiddenSize = 256, LayerCount = 6, HeadCount = 8, KvHeadCount = 4, IntermediateSize = 768 },
        "medium" => new() { VocabSize = 8192, HiddenSize = 512, LayerCount = 8, HeadCount = 8, KvHeadCount = 4, IntermediateSize = 1536 },
        _ => throw new ArgumentException($"unknown model size \"{name}\"; expected one of {string.Join(", ", Names)}"),
    };

    /// <summary>The shape <paramref name="name"/> for a tokenizer of <paramref name="vocabSize"/> ids with the
    /// given BOS/EOS ids and a context of <paramref name="maxPositions"/>, validated.</summary>
    public static ModelConfig For(string name, int vocabSize, int? bosId, IReadOnlyList<int> eosIds, int maxPositions) =>
        (Of(name) with { VocabSize = vocabSize, BosTokenId = bosId, EosTokenIds = eosIds, MaxPositionEmbeddings = maxPositions }).Validate();
}
