// The committed tiny Hugging Face model directory (tests/Fixtures/tiny-qwen2-bpe, made by
// tools/tiny-fixture/make_tiny_fixture.cs): random-weight qwen2 (hidden 32, 2 layers) with a real
// 400-merge byte-level BPE tokenizer learned on GSM8K train text and ChatML specials.
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Tests;
using ReasonRL.Text;

namespace ReasonRL.Training.Tests.Evaluation;

internal static class TinyFixture
{
    public static string Directory { get; } = Path.Combine(SharedData.RepoRoot, "tests", "Fixtures", "tiny-qwen2-bpe");

    public static ITokenizer Tokenizer() => TokenizerLoader.Load(Directory);

    public static Transformer Model()
    {
        var checkpoint = HfCheckpoint.Load(Directory);
        var model = new Transformer(checkpoint.Config, GemmFactory.Create(GemmKind.Managed));
        model.LoadParameters(checkpoint.Floats);
        return model;
    }
}
