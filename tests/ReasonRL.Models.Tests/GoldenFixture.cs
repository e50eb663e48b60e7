// GoldenFixture: reads one committed PyTorch golden fixture (tests/ReasonRL.Models.Tests/Fixtures/
// <tied|untied|qwen3|llama3|smollm3>/, written by tools/reference/make_golden_fixtures.py) for the Transformer's golden
// test. Usage:
//     var fx = GoldenFixture.Load("tied");          // or "untied", "qwen3", "llama3", "smollm3"; GoldenFixture.Names lists them
//     fx.Config                                     // ModelConfig from config.json
//     fx.Weights.Tensors["model.layers.0.self_attn.q_proj.weight"].Floats   // [out, in] row-major
//     fx.InputIds / fx.Targets                      // [B*T] row-major (B = fx.Batch, T = fx.SeqLen)
//     fx.Logits                                     // [B, T, V] row-major
//     fx.Loss                                       // mean cross-entropy over the B*T targets
//     fx.Gradients["model.norm.weight"]             // dLoss/dParam, same shape as the weight
//     fx.AdamWLosses[k]                             // loss after k AdamW steps (k = 0..9), fx.AdamW = hyper-parameters
//     fx.RopeInvFreq                                // [D/2] RoPE inverse frequencies (qwen3, llama3, smollm3; else null)
// Every tensor's meaning and layout is in Fixtures/README.md. A format/version mismatch throws
// InvalidDataException naming the regenerate command.
// What it is not: the comparison (the golden test prints its own name/OK/maxdiff table).
using ReasonRL.Tests;
using System.Globalization;

namespace ReasonRL.Models.Tests;

/// <summary>AdamW hyper-parameters the fixture's 10 steps used (torch.optim.AdamW, one param
/// group, weight decay on every parameter, bias-corrected moments, decoupled decay
/// p ← p − lr·wd·p before the Adam update).</summary>
public sealed record GoldenAdamW(double LearningRate, double Beta1, double Beta2, double Eps, double WeightDecay, int Steps);

/// <summary>One golden fixture: HF weights plus PyTorch's logits, loss, gradients and AdamW losses.</summary>
public sealed class GoldenFixture
{
    /// <summary>Value of __metadata__["format"].</summary>
    public const string Format = "reasonrl-golden";

    /// <summary>Value of __metadata__["version"] this reader understands.</summary>
    public const string Version = "1";

    /// <summary>The committed fixtures.</summary>
    public static IReadOnlyList<string> Names { get; } = ["tied", "untied", "qwen3", "llama3", "smollm3"];

    /// <summary>Folder holding the fixtures (found from the repository root, not the build output).</summary>
    public static string Root => Path.Combine(SharedData.RepoRoot, "tests", "ReasonRL.Models.Tests", "Fixtures");

    private GoldenFixture(string name, string directoryPath, HfCheckpoint weights, SafeTensorsFile golden)
    {
        Name = name;
        DirectoryPath = directoryPath;
        Weights = weights;
        File = golden;
        Metadata = golden.Metadata;
        RegenerateCommand = Meta("regenerate");
        Batch = MetaInt("batch");
        SeqLen = MetaInt("seq_len");
        AdamW = new GoldenAdamW(MetaDouble("adamw_lr"), MetaDouble("adamw_beta1"), MetaDouble("adamw_beta2"),
            MetaDouble("adamw_eps"), MetaDouble("adamw_weight_decay"), MetaInt("adamw_steps"));
        ParameterNames = Meta("parameters").Split(',');

        var v = weights.Config.VocabSize;
        InputIds = Ids("input_ids");
        Targets = Ids("targets");
        Logits = FloatsOfShape("logits", [Batch, SeqLen, v]);
        Loss = FloatsOfShape("loss", [])[0];
        AdamWLosses = FloatsOfShape("adamw_losses", [AdamW.Steps]);
        RopeInvFreq = File.ByName.ContainsKey("rope_inv_freq") ? FloatsOfShape("rope_inv_freq", [weights.Config.HeadDim / 2]) : null;
        var grads = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var p in ParameterNames)
        {
            var w = weights.Tensors.TryGetValue(p, out var t) ? t
                : throw Invalid($"metadata lists parameter \"{p}\" but the weights have no such tensor");
            grads.Add(p, FloatsOfShape("grad." + p, [.. w.Shape]));
        }
        if (grads.Count != weights.Tensors.Count)
            throw Invalid($"{grads.Count} gradients for {weights.Tensors.Count} weight tensors");
        Gradients = grads;
    }

    /// <summary>"tied", "untied", "qwen3", "llama3" or "smollm3".</summary>
    public string Name { get; }

    /// <summary>The fixture's folder (config.json, model.safetensors, golden.safetensors).</summary>
    public string DirectoryPath { get; }

    /// <summary>The initial weights as an HF checkpoint (config + tensors by HF name).</summary>
    public HfCheckpoint Weights { get; }

    /// <summary>The model config (from config.json).</summary>
    public ModelConfig Config => Weights.Config;

    /// <summary>golden.safetensors as read (raw access to every tensor).</summary>
    public SafeTensorsFile File { get; }

    /// <summary>golden.safetensors' __metadata__.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Shell command (run from the repository root) that regenerates the fixtures.</summary>
    public string RegenerateCommand { get; }

    /// <summary>B: sequences in the batch.</summary>
    public int Batch { get; }

    /// <summary>T: tokens per sequence.</summary>
    public int SeqLen { get; }

    /// <summary>HF parameter names in PyTorch's named_parameters() order (tied: no lm_head.weight).</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>[B, T] input token ids, row-major.</summary>
    public int[] InputIds { get; }

    /// <summary>[B, T] target ids (the next token of each input position), row-major.</summary>
    public int[] Targets { get; }

    /// <summary>[B, T, V] logits of the forward pass on <see cref="InputIds"/>.</summary>
    public float[] Logits { get; }

    /// <summary>Mean token cross-entropy of <see cref="Logits"/> against <see cref="Targets"/>.</summary>
    public float Loss { get; }

    /// <summary>dLoss/dParam by HF parameter name, each with its weight's shape, row-major.</summary>
    public IReadOnlyDictionary<string, float[]> Gradients { get; }

    /// <summary>[Steps] loss of the forward at the weights after k AdamW steps; [0] == <see cref="Loss"/>.</summary>
    public float[] AdamWLosses { get; }

    /// <summary>[D/2] PyTorch's RoPE inverse frequencies after any rope_scaling (the qwen3, llama3 and smollm3 fixtures); null when absent.</summary>
    public float[]? RopeInvFreq { get; }

    /// <summary>AdamW hyper-parameters used for <see cref="AdamWLosses"/>.</summary>
    public GoldenAdamW AdamW { get; }

    /// <summary>Loads fixture <paramref name="name"/> (one of <see cref="Names"/>) from <see cref="Root"/>.</summary>
    public static GoldenFixture Load(string name) => LoadFrom(Path.Combine(Root, name), name);

    /// <summary>Loads a fixture folder (e.g. a freshly regenerated one).</summary>
    /// <exception cref="InvalidDataException">wrong format/version or inconsistent shapes; names the regenerate command.</exception>
    public static GoldenFixture LoadFrom(string directory, string name)
    {
        var weights = HfCheckpoint.Load(directory);
        string goldenPath = Path.Combine(directory, "golden.safetensors");
        var golden = SafeTensorsReader.Read(goldenPath);
        golden.Metadata.TryGetValue("format", out var format);
        golden.Metadata.TryGetValue("version", out var version);
        golden.Metadata.TryGetValue("regenerate", out var regenerate);
        if (format != Format || version != Version)
            throw new InvalidDataException($"{goldenPath}: __metadata__ format/version must be \"{Format}\"/\"{Version}\", " +
                $"got \"{format}\"/\"{version}\"; regenerate with: {regenerate ?? "/usr/bin/python3 tools/reference/make_golden_fixtures.py"}");
        return new GoldenFixture(name, directory, weights, golden);
    }

    private InvalidDataException Invalid(string problem) =>
        new($"{File.FilePath}: {problem}; regenerate with: {RegenerateCommand}");

    private string Meta(string key) => Metadata.TryGetValue(key, out var v) ? v : throw Invalid($"__metadata__ has no \"{key}\"");

    private int MetaInt(string key) => int.Parse(Meta(key), NumberStyles.Integer, CultureInfo.InvariantCulture);

    private double MetaDouble(string key) => double.Parse(Meta(key), NumberStyles.Float, CultureInfo.InvariantCulture);

    private float[] FloatsOfShape(string tensor, int[] shape)
    {
        var t = File.ByName.TryGetValue(tensor, out var x) ? x : throw Invalid($"no tensor \"{tensor}\"");
        if (!t.HasShape(shape)) throw Invalid($"tensor \"{tensor}\" has shape {t.ShapeText}, expected {SafeTensorsTensor.FormatShape(shape)}");
        return t.Floats;
    }

    private int[] Ids(string tensor)
    {
        var t = File.ByName.TryGetValue(tensor, out var x) ? x : throw Invalid($"no tensor \"{tensor}\"");
        if (!t.HasShape([Batch, SeqLen])) throw Invalid($"tensor \"{tensor}\" has shape {t.ShapeText}, expected [{Batch}, {SeqLen}]");
        var ids = new int[t.Integers.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            long id = t.Integers[i];
            if (id < 0 || id >= Config.VocabSize) throw Invalid($"{tensor}[{i}] = {id} is outside [0, {Config.VocabSize})");
            ids[i] = (int)id;
        }
        return ids;
    }
}
