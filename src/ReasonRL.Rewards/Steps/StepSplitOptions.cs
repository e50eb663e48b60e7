// StepSplitOptions: how a response is cut into reasoning steps (an immutable config record).
// Not the splitting itself (StepSplitter) and not the YAML parsing (Offline/RewardConfigLoader).
// References: docs/reward-methods.md §2.4 and §8 — Gao et al.'s rule is unknown; PURE and the Qwen PRMs
// split on "\n\n", our lab task writes one step per line ("\n"), Math-Shepherd ends each step with a tag.
namespace ReasonRL.Rewards.Steps;

/// <summary>Which boundary ends a step.</summary>
public enum StepSplitKind
{
    /// <summary>A literal separator between steps, e.g. "\n" or "\n\n"; the separator belongs to no step.</summary>
    Separator,

    /// <summary>Every match of a regular expression separates two steps (the match belongs to no step).</summary>
    Regex,

    /// <summary>An explicit step tag written after each step (Math-Shepherd's "ки", Qwen PRM's
    /// "&lt;extra_0&gt;"): the tag terminates the step before it and belongs to no step; text after the
    /// last tag, when not blank, is a final untagged step (usually the answer line).</summary>
    Tag,
}

/// <summary>Step segmentation settings. The empty/whitespace rule is fixed and documented on
/// <see cref="StepSplitter"/>: blank pieces are not steps, and every step is trimmed of surrounding
/// whitespace so that its end is its last visible character.</summary>
/// <param name="Kind">Which boundary ends a step.</param>
/// <param name="Pattern">The separator, the tag, or the regex source (e.g. "\n\n", "ки", @"\n(?=Step \d)").</param>
public sealed record StepSplitOptions(StepSplitKind Kind, string Pattern)
{
    /// <summary>One step per line (the lab task's format and the documented example config).</summary>
    public static StepSplitOptions Lines { get; } = new(StepSplitKind.Separator, "\n");

    /// <summary>Paragraph steps, as PURE and Qwen2.5-Math-PRM recommend.</summary>
    public static StepSplitOptions Paragraphs { get; } = new(StepSplitKind.Separator, "\n\n");

    /// <summary>Regex timeout: the pattern comes from a config file, so a catastrophic pattern must fail, not hang.</summary>
    public static TimeSpan RegexTimeout { get; } = TimeSpan.FromSeconds(1);

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()} {Escape(Pattern)}";

    /// <summary>The pattern with control characters written as escapes, for messages and tables.</summary>
    public static string Escape(string s) =>
        "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            .Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal) + "\"";
}
