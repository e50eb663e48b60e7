// RewardModel.Checkpoint: Save/Load of a reward model as a Hugging Face directory (config.json +
// model.safetensors). Tensor names (checked against the public models):
//   backbone  "model.…" (+ "lm_head.weight" when untied), exactly HfCheckpointLayout's names;
//   PRM head  "score.0.weight" [C, C], "score.0.bias" [C], "score.2.weight" [2, C], "score.2.bias" [2]
//             — Qwen2ForProcessRewardModel's nn.Sequential(Linear, ReLU, Linear) (Qwen2.5-Math-PRM-7B);
//   ORM head  "score.weight" [1, C] (HF *ForSequenceClassification with num_labels 1, no bias); on load
//             "value_head.weight" [1, C] (OpenRLHF's critic / reward-model prefix) is accepted too, and
//             a "{prefix}.bias" [1] when present.
// config.json is HfConfig's, with "architectures" set to Qwen2ForProcessRewardModel (PRM) or
// Qwen2/LlamaForSequenceClassification (ORM) and "num_labels" 2 / 1. The kind is recognised from the
// head tensors, so a plain causal-LM directory (no head) loads as a backbone with a fresh head when a
// kind is given (train-rm --model). Saving goes through AtomicDirectory (temp folder, fsync, swap).
// What it is not: a loader of the real 7B PRM's untied/lm_head-less layout (it expects our backbone layout).
using ReasonRL.Core;
using ReasonRL.Tensors;
using System.Text.Json.Nodes;

namespace ReasonRL.Models;

public sealed partial class RewardModel
{
    /// <summary>The ORM head's tensor prefix written on save ("score", HF sequence classification).</summary>
    public const string OrmPrefix = "score";

    /// <summary>The ORM head prefix OpenRLHF uses, accepted on load.</summary>
    public const string OpenRlhfPrefix = "value_head";

    /// <summary>Writes config.json and model.safetensors (F32) to <paramref name="hfDir"/>, atomically:
    /// everything goes to a temporary sibling directory that then replaces <paramref name="hfDir"/>.</summary>
    public void Save(string hfDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(hfDir);
        AtomicDirectory.Write(hfDir, temp =>
        {
            var tensors = new List<SafeTensorsTensor>();
            AddSlab(tensors, Backbone.Layout.Slab, Backbone.Parameters);
            AddSlab(tensors, HeadLayout, HeadParameters);
            SafeTensorsWriter.Write(Path.Combine(temp, HfCheckpoint.SingleFileName), tensors, new Dictionary<string, string> { ["format"] = "pt" });
            AtomicFile.WriteAllText(Path.Combine(temp, HfCheckpoint.ConfigFileName), ConfigJson());
        });
    }

    /// <summary>Loads a reward-model directory, or a plain causal-LM directory as the backbone with a
    /// fresh head when <paramref name="kindIfPlain"/> is given.</summary>
    /// <param name="kindIfPlain">The head to create when the directory has none; also, when set, the kind
    /// a directory with a head must have.</param>
    /// <param name="headSeed">Seed of a freshly initialised head.</param>
    /// <exception cref="HfCheckpointException">A head tensor is missing or misshapen, or the kinds disagree.</exception>
    public static RewardModel Load(string hfDir, IGemm gemm, RewardModelKind? kindIfPlain = null, int headSeed = 0)
    {
        ArgumentNullException.ThrowIfNull(gemm);
        var checkpoint = HfCheckpoint.Load(hfDir, checkLayout: false);
        var all = checkpoint.Tensors;
        var backboneTensors = all.Where(kv => !IsHeadTensor(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        HfCheckpointLayout.Check(checkpoint.Config, backboneTensors, hfDir, allowTiedHead: true);
        RewardModelKind? found = all.ContainsKey("score.0.weight") ? RewardModelKind.Prm
            : all.ContainsKey(OrmPrefix + ".weight") || all.ContainsKey(OpenRlhfPrefix + ".weight") ? RewardModelKind.Orm
            : null;
        if (found is null && all.Keys.FirstOrDefault(IsHeadTensor) is { } stray)
            throw new HfCheckpointException(hfDir, stray, "looks like a head tensor but matches neither the PRM head (score.0/score.2) nor the ORM head (score.weight / value_head.weight)");
        if (found is null && kindIfPlain is null)
            throw new HfCheckpointException(hfDir, "score.*", "no reward head found (score.0.weight for a PRM, score.weight or value_head.weight for an ORM); pass the kind to start a fresh head on this causal-LM backbone");
        if (found is { } f && kindIfPlain is { } k && f != k)
            throw new HfCheckpointException(hfDir, "score.*", $"holds a {f.ToString().ToUpperInvariant()} head but a {k.ToString().ToUpperInvariant()} was asked for");

        var backbone = new Transformer(checkpoint.Config, gemm);
        try
        {
            backbone.LoadParameters(checkpoint.Floats);
        }
        catch
        {
            backbone.Dispose();
            throw;
        }
        var kind = found ?? kindIfPlain!.Value;
        if (found is null) return Create(kind, backbone, headSeed);
        int c = checkpoint.Config.HiddenSize;
        RewardModel model;
        if (kind == RewardModelKind.Prm)
        {
            model = new RewardModel(kind, backbone, new PrmHead(c, gemm), null);
        }
        else
        {
            string prefix = all.ContainsKey(OrmPrefix + ".weight") ? OrmPrefix : OpenRlhfPrefix;
            model = new RewardModel(kind, backbone, null, new ScalarHead(c, prefix, bias: all.ContainsKey(prefix + ".bias")));
        }
        try
        {
            foreach (var e in model.HeadLayout.Entries)
            {
                if (!all.TryGetValue(e.Name, out var t)) throw new HfCheckpointException(hfDir, e.Name, $"missing; the {kind.ToString().ToUpperInvariant()} head needs shape {e.ShapeText}");
                if (!t.HasShape(e.Shape)) throw new HfCheckpointException(hfDir, e.Name, $"shape must be {e.ShapeText}, got {t.ShapeText}");
                if (t.IsInteger) throw new HfCheckpointException(hfDir, e.Name, "dtype must be a float type");
                t.Floats.CopyTo(model.HeadParameters.View(e));
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>True for a name in the head's namespace ("score…" or "value_head…").</summary>
    private static bool IsHeadTensor(string name) =>
        name.StartsWith(OrmPrefix + ".", StringComparison.Ordinal) || name.StartsWith(OpenRlhfPrefix + ".", StringComparison.Ordinal);

    private static void AddSlab(List<SafeTensorsTensor> tensors, SlabLayout layout, NativeSlab values)
    {
        foreach (var e in layout.Entries) tensors.Add(SafeTensorsTensor.FromFloats(e.Name, e.Shape, values.View(e).ToArray()));
    }

    private string ConfigJson()
    {
        var node = JsonNode.Parse(HfConfig.ToJson(Backbone.Config))!.AsObject();
        string arch = HfConfig.ArchitecturePrefix(Backbone.Config) + (Kind == RewardModelKind.Prm ? "ForProcessRewardModel" : "ForSequenceClassification");
        node["architectures"] = new JsonArray(arch);
        node["num_labels"] = Kind == RewardModelKind.Prm ? PrmHead.Classes : 1;
        node["reasonrl_reward_kind"] = Kind == RewardModelKind.Prm ? "prm" : "orm";
        return node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }
}
