// LabDesign: the reward designs the lab compares (the paper's six, plus min-form and PAR as options) and how each maps to the `reward:` section of a train config —
// success only; success + ORM; success + PRM shaped raw / Clip / Delta / Clip-Delta. Not the shaping
// arithmetic (ReasonRL.Rewards.Shaping) and not the sources (the lab stage builds them).
// Reference: docs/reward-methods.md §3 (Clip, Delta, Clip-Delta), §2.3 (ORM term), §2.5 (why raw is farmable).
using ReasonRL.Training;
using System.Globalization;

namespace ReasonRL.Runs.Lab;

/// <summary>A reward design of the lab.</summary>
public enum LabDesign
{
    /// <summary>r = r_succ on the last token.</summary>
    Success,

    /// <summary>r = r_succ + α_orm·ORM(q, s) on the last token.</summary>
    Orm,

    /// <summary>r_succ + Σ_k α·PRM_k (each on the step's last token): unbounded in K, farmable.</summary>
    PrmRaw,

    /// <summary>r_succ + Σ_k min(α(PRM_k − η), 0): every process term ≤ 0.</summary>
    PrmClip,

    /// <summary>r_succ + Σ_k (ρ_k − ρ_{k+1}), last step keeps ρ_K: the process sum telescopes to ρ_1.</summary>
    PrmDelta,

    /// <summary>Delta applied to the clipped terms c_k: the process sum telescopes to c_1 ≤ 0.</summary>
    PrmClipDelta,

    /// <summary>PURE's min-form credit: the return is the worst step score (an option, not in the default set).</summary>
    PrmMinForm,

    /// <summary>PAR: each step score through a sigmoid against the reference η (an option, not in the default set).</summary>
    PrmPar,
}

/// <summary>Names, order and reward designs of <see cref="LabDesign"/>.</summary>
public static class LabDesigns
{
    /// <summary>The paper's six designs, the default set, in table order.</summary>
    public static IReadOnlyList<LabDesign> Default { get; } =
        [LabDesign.Success, LabDesign.Orm, LabDesign.PrmRaw, LabDesign.PrmClip, LabDesign.PrmDelta, LabDesign.PrmClipDelta];

    /// <summary>Every design, the default six and the options beyond the paper (min_form, par), in table order.</summary>
    public static IReadOnlyList<LabDesign> All { get; } = [.. Default, LabDesign.PrmMinForm, LabDesign.PrmPar];

    /// <summary>The command-line / folder spelling: success, orm, prm_raw, prm_clip, prm_delta, prm_clip_delta.</summary>
    public static string NameOf(LabDesign design) => design switch
    {
        LabDesign.Success => "success",
        LabDesign.Orm => "orm",
        LabDesign.PrmRaw => "prm_raw",
        LabDesign.PrmClip => "prm_clip",
        LabDesign.PrmDelta => "prm_delta",
        LabDesign.PrmClipDelta => "prm_clip_delta",
        LabDesign.PrmMinForm => "min_form",
        LabDesign.PrmPar => "par",
        _ => throw new ArgumentOutOfRangeException(nameof(design), design, "unknown lab design"),
    };

    /// <summary>The table label, e.g. "success + PRM Clip".</summary>
    public static string LabelOf(LabDesign design) => design switch
    {
        LabDesign.Success => "success only",
        LabDesign.Orm => "success + ORM",
        LabDesign.PrmRaw => "success + PRM raw",
        LabDesign.PrmClip => "success + PRM Clip",
        LabDesign.PrmDelta => "success + PRM Delta",
        LabDesign.PrmClipDelta => "success + PRM Clip-Delta",
        LabDesign.PrmMinForm => "success + PRM min-form (PURE)",
        LabDesign.PrmPar => "success + PRM PAR",
        _ => throw new ArgumentOutOfRangeException(nameof(design), design, "unknown lab design"),
    };

    /// <summary>Parses a spelling of <see cref="NameOf"/>; throws ArgumentException listing the valid ones.</summary>
    public static LabDesign Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var d in All)
        {
            if (string.Equals(NameOf(d), name.Trim(), StringComparison.OrdinalIgnoreCase)) return d;
        }
        throw new ArgumentException($"unknown lab design \"{name}\"; expected one of {string.Join(", ", All.Select(NameOf))}");
    }

    /// <summary>Parses a comma-separated list (e.g. "success,prm_raw"), keeping table order and dropping duplicates.</summary>
    public static IReadOnlyList<LabDesign> ParseList(string names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var wanted = names.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(Parse).ToHashSet();
        if (wanted.Count == 0) throw new ArgumentException("expected at least one lab design, e.g. \"success,prm_raw\"");
        return All.Where(wanted.Contains).ToList();
    }

    /// <summary>True when the design needs the PRM.</summary>
    public static bool UsesPrm(LabDesign design) => design is LabDesign.PrmRaw or LabDesign.PrmClip or LabDesign.PrmDelta or LabDesign.PrmClipDelta or LabDesign.PrmMinForm or LabDesign.PrmPar;

    /// <summary>True when the design needs the ORM.</summary>
    public static bool UsesOrm(LabDesign design) => design == LabDesign.Orm;

    /// <summary>The `reward:` section of the design's `reasonrl train` config (reward.yaml grammar): success
    /// 1 / 0 / 0 on the final answer, steps one per line, plus the design's learned term with α, η and
    /// α_orm from <paramref name="rewards"/>.</summary>
    public static string RewardYaml(LabDesign design, LabRewardSettings rewards)
    {
        ArgumentNullException.ThrowIfNull(rewards);
        var inv = CultureInfo.InvariantCulture;
        string Shape(string kind) => string.Create(inv, $"  shaping: {{ kind: {kind}, alpha: {rewards.PrmAlpha:R}, eta: {rewards.ClipEta:R}, delta_last: keep }}\n");
        string learned = design switch
        {
            LabDesign.Success => "",
            LabDesign.Orm => string.Create(inv, $"  orm: {{ alpha: {rewards.OrmAlpha:R} }}\n"),
            LabDesign.PrmRaw => Shape("raw"),
            LabDesign.PrmClip => Shape("clip"),
            LabDesign.PrmDelta => Shape("delta"),
            LabDesign.PrmClipDelta => Shape("clip_delta"),
            LabDesign.PrmMinForm => Shape("min_form"),
            LabDesign.PrmPar => Shape("par"),
            _ => throw new ArgumentOutOfRangeException(nameof(design), design, "unknown lab design"),
        };
        return "reward:\n  steps: { split: \"\\n\" }\n  success: { correct: 1.0, incorrect: 0.0, unverifiable: 0.0 }\n" + learned;
    }
}
