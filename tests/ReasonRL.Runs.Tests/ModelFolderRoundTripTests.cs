// Model folders round-trip (issue 17): a model saved by ReasonRL — ModelStore.Save (sft, train and
// the lab's policies) and ModelStore.Convert (`checkpoint convert`), which share TokenizerSpec.SaveNextTo
// with train-rm — carries tokenizer.json, tokenizer_config.json (BOS, EOS, chat template as they were)
// and generation_config.json where the source had one, so the copy loads as the model it came from.
// A lab folder (char:lab tokenizer) carries the character tokenizer as tokenizer.json + tokenizer_config.json
// and loads back through the generic loaders with the same special ids and logits.
// Uses the Qwen3 tokenizer and its tokenizer_config.json from ../shared/data/tokenizer.
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Tests;
using ReasonRL.Text;
using System.Text;

namespace ReasonRL.Runs.Tests;

public sealed class ModelFolderRoundTripTests : IDisposable
{
    private const string GenerationConfig = """{"bos_token_id": 151643, "eos_token_id": [151645, 151643], "temperature": 0.6, "top_p": 0.95}""";

    private readonly string _root = Path.Combine(Path.GetTempPath(), "rrl-roundtrip-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, true);
    }

    private string Dir(string name) => Path.Combine(_root, name);

    // A micro model over the Qwen3 vocabulary saved from the shared tokenizer file (a path spec with a
    // name prefix, gzipped), plus a generation_config.json as Hugging Face folders carry.
    private string SourceFolder()
    {
        string spec = SharedData.PathOf("data/tokenizer/qwen3-tokenizer.json.gz");
        var tokenizer = TokenizerLoader.Load(spec);
        using var model = new Transformer(ModelStore.ConfigFor("micro", tokenizer.VocabSize, tokenizer.BosId, tokenizer.EosIds, 64), new ManagedGemm());
        model.InitializeRandom(seed: 17);
        string source = Dir("source");
        ModelStore.Save(model, source, spec, sourceDirectory: null);
        File.WriteAllText(Path.Combine(source, "generation_config.json"), GenerationConfig);
        return source;
    }

    private static float[] Logits(string folder, int[] ids)
    {
        using var model = ModelStore.Load(folder, new ManagedGemm());
        model.Forward(ids, batch: 1, tokenCount: ids.Length);
        return model.LmHeadForward().ToArray();
    }

    private static void AssertSameModel(string original, string copy)
    {
        foreach (string name in (string[])["config.json", "tokenizer.json", "tokenizer_config.json", "generation_config.json"])
            Assert.True(File.Exists(Path.Combine(copy, name)), $"{copy} has no {name}");
        ITokenizer a = TokenizerSpec.Resolve(null, original), b = TokenizerSpec.Resolve(null, copy);
        Assert.Equal(a.BosId, b.BosId);
        Assert.Equal(a.EosIds, b.EosIds);
        Assert.Equal(a.PadId, b.PadId);
        Assert.Equal(a.VocabSize, b.VocabSize);
        var templatesA = TokenizerConfig.Read(Path.Combine(original, "tokenizer_config.json")).ChatTemplates;
        var templatesB = TokenizerConfig.Read(Path.Combine(copy, "tokenizer_config.json")).ChatTemplates;
        Assert.NotEmpty(templatesA);
        Assert.Equal(templatesA, templatesB);
        Assert.Equal(File.ReadAllText(Path.Combine(original, "generation_config.json")), File.ReadAllText(Path.Combine(copy, "generation_config.json")));
        int[] ids = a.Encode("Solve 12 + 30 = ? <think>").Ids;
        Assert.Equal(ids, b.Encode("Solve 12 + 30 = ? <think>").Ids);
        Assert.Equal(Logits(original, ids), Logits(copy, ids));   // float32 weights saved as they are: bit-identical
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void Saving_from_a_tokenizer_file_writes_tokenizer_json_and_its_config()
    {
        string source = SourceFolder();
        string shared = SharedData.PathOf("data/tokenizer/qwen3-tokenizer_config.json");
        // The prefixed, gzipped file became the tokenizer.json Hugging Face looks for, and its config came along.
        Assert.True(File.Exists(Path.Combine(source, "tokenizer.json")));
        Assert.False(File.Exists(Path.Combine(source, "qwen3-tokenizer.json.gz")));
        Assert.Equal(File.ReadAllText(shared), File.ReadAllText(Path.Combine(source, "tokenizer_config.json")));
        var tokenizer = TokenizerSpec.Resolve(null, source);
        var original = TokenizerLoader.Load(SharedData.PathOf("data/tokenizer/qwen3-tokenizer.json.gz"));
        Assert.Equal(original.EosIds, tokenizer.EosIds);
        Assert.Equal(original.PadId, tokenizer.PadId);
        var config = HfConfig.Load(Path.Combine(source, "config.json"));
        Assert.Equal(tokenizer.EosIds, config.EosTokenIds);
        Assert.Equal(tokenizer.VocabSize, config.VocabSize);
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void A_loaded_and_saved_model_loads_as_the_original()
    {
        string source = SourceFolder();
        using (var model = ModelStore.Load(source, new ManagedGemm()))
            ModelStore.Save(model, Dir("copy"), tokenizerSpec: null, sourceDirectory: source);
        AssertSameModel(source, Dir("copy"));
    }

    [Fact]
    public void A_lab_char_tokenizer_folder_loads_back_through_the_generic_loader()
    {
        // Saved as the lab's SFT and PPO stages save their policies (SftRun / TrainRun → ModelStore.Save with
        // model.tokenizer=char:lab; the reward models go through the same TokenizerSpec.SaveNextTo).
        var lab = TokenizerSpec.Resolve(TokenizerSpec.CharLab, null);
        using var model = new Transformer(ModelStore.ConfigFor("micro", lab.VocabSize, lab.BosId, lab.EosIds, 128), new ManagedGemm());
        model.InitializeRandom(seed: 5);
        string folder = Dir("lab-policy");
        ModelStore.Save(model, folder, TokenizerSpec.CharLab, sourceDirectory: null);
        Assert.False(File.Exists(Path.Combine(folder, TokenizerSpec.SpecFileName)));

        // The generic model-folder loaders: TokenizerLoader (what generate, eval and serve use) and TokenizerSpec.Resolve
        // without a spec (what sft, train and train-rm use for a folder), each reading tokenizer.json.
        foreach (ITokenizer loaded in (ITokenizer[])[TokenizerLoader.Load(folder), TokenizerSpec.Resolve(null, folder)])
        {
            Assert.IsType<CharTokenizer>(loaded);
            Assert.Equal(lab.VocabSize, loaded.VocabSize);
            Assert.Equal(lab.BosId, loaded.BosId);
            Assert.Equal(lab.EosIds, loaded.EosIds);
            Assert.Equal(lab.PadId, loaded.PadId);
        }
        var names = TokenizerConfig.Read(Path.Combine(folder, "tokenizer_config.json"));
        Assert.Equal((lab.IdToToken(lab.BosId!.Value), lab.IdToToken(lab.EosIds[0]), lab.IdToToken(lab.PadId!.Value)), (names.BosToken, names.EosToken, names.PadToken));
        var config = HfConfig.Load(Path.Combine(folder, "config.json"));
        Assert.Equal(lab.BosId, config.BosTokenId);
        Assert.Equal(lab.EosIds, config.EosTokenIds);

        string text = "Sam has 12 apples and buys 30 more.\n12 + 30 = 42\nThe answer is \\boxed{42}";
        int[] ids = [lab.BosId.Value, .. lab.Encode(text).Ids];
        Assert.Equal(ids[1..], TokenizerLoader.Load(folder).Encode(text).Ids);
        model.Forward(ids, batch: 1, tokenCount: ids.Length);
        float[] expected = model.LmHeadForward().ToArray();
        Assert.Equal(expected, Logits(folder, ids));   // float32 weights saved as they are: bit-identical

        // Loaded and saved again with no spec, the copy carries the same files and loads as the original.
        using (var loaded = ModelStore.Load(folder, new ManagedGemm()))
            ModelStore.Save(loaded, Dir("lab-copy"), tokenizerSpec: null, sourceDirectory: folder);
        foreach (string name in (string[])["tokenizer.json", "tokenizer_config.json"])
            Assert.Equal(File.ReadAllText(Path.Combine(folder, name)), File.ReadAllText(Path.Combine(Dir("lab-copy"), name)));
        Assert.Equal(expected, Logits(Dir("lab-copy"), ids));
    }

    [Fact]
    public void A_folder_saved_before_issue_17_with_only_the_spec_file_still_resolves()
    {
        string folder = Dir("old-lab-policy");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, TokenizerSpec.SpecFileName), TokenizerSpec.CharLab + "\n");
        var lab = TokenizerSpec.Resolve(TokenizerSpec.CharLab, null);
        var resolved = Assert.IsType<CharTokenizer>(TokenizerSpec.Resolve(null, folder));
        Assert.Equal(lab.VocabSize, resolved.VocabSize);
        Assert.Equal(lab.EosIds, resolved.EosIds);
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void Checkpoint_convert_keeps_the_tokenizer_and_companion_files()
    {
        string source = SourceFolder();
        // A folder holding only the gzipped tokenizer: the converted copy gets a plain tokenizer.json.
        string gz = Dir("gz");
        Directory.CreateDirectory(gz);
        foreach (string f in Directory.GetFiles(source).Where(f => Path.GetFileName(f) != "tokenizer.json"))
            File.Copy(f, Path.Combine(gz, Path.GetFileName(f)));
        File.Copy(SharedData.PathOf("data/tokenizer/qwen3-tokenizer.json.gz"), Path.Combine(gz, "tokenizer.json.gz"));
        var checkpoint = ModelStore.Convert(gz, Dir("converted"), dtype: null, maxShardBytes: 0, maxModelBytes: null);
        Assert.Equal(HfConfig.ToJson(checkpoint.Config), File.ReadAllText(Path.Combine(Dir("converted"), "config.json"), Encoding.UTF8));
        AssertSameModel(source, Dir("converted"));
    }
}
