// OfflineScorer: scores saved rollouts (JSONL) under a RewardConfig — `reasonrl reward`'s library
// side. Each line's step_scores / orm_score / verdict, when present, are replayed instead of running
// a model or the verifier; the verifier (SuccessJudge) is used for lines without a verdict.
// Output: every input field, plus success, verdict, steps ([[start, end], …] character spans),
// step_rewards (shaped, one per step), learned_return, total_return, repeated_steps; a line that
// cannot be scored gets "error" (saying what it lacks) instead of reward fields. Written atomically
// (temp file in the same folder + rename), so a crash never leaves a half-written file.
// Not a model runner: model-backed ORM/PRM scoring needs the engine and is not here.
using ReasonRL.Core;
using ReasonRL.Rewards.Composition;
using ReasonRL.Rewards.Shaping;
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReasonRL.Rewards.Offline;

/// <summary>Result of one offline run: a summary per shaping (the config's first) and the line errors.</summary>
public sealed record OfflineReport(int Lines, IReadOnlyList<RewardSummary> Summaries, IReadOnlyList<string> Errors);

public sealed class OfflineScorer(RewardConfig config, SuccessJudge judge)
{
    // Output keeps text readable ("2+3", "ки") instead of the default HTML-safe \u002B escapes;
    // the file is data for tools, never embedded in HTML.
    private static readonly JsonSerializerOptions OutputJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly StepSplitter splitter = new(config.Steps);

    public RewardConfig Config { get; } = config;

    /// <summary>Scores <paramref name="inputPath"/> into <paramref name="outputPath"/>.</summary>
    /// <param name="compare">Extra shaping kinds to summarise on the same lines (same α, η, …); the
    /// output file always holds the config's own shaping.</param>
    public OfflineReport ScoreFile(string inputPath, string outputPath, IReadOnlyList<ShapingKind>? compare = null)
    {
        var lines = File.ReadAllLines(inputPath);
        var (output, report) = Score(lines, compare ?? []);
        WriteAtomically(outputPath, output);
        return report;
    }

    /// <summary>Scores JSONL lines in memory: (output lines, report). Blank lines are skipped.</summary>
    public (IReadOnlyList<string> Output, OfflineReport Report) Score(IReadOnlyList<string> lines, IReadOnlyList<ShapingKind> compare)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var designs = new List<(string Label, RewardDesign Design)> { (LabelOf(Config.Design), Config.Design) };
        foreach (var kind in compare)
        {
            var baseShaping = Config.Design.Shaping ?? new ShapingOptions(kind);
            var label = ShapingOptions.NameOf(kind);
            if (designs.Exists(d => d.Label == label)) continue;
            designs.Add((label, Config.Design with { Shaping = baseShaping with { Kind = kind } }));
        }
        var perDesign = designs.Select(_ => new List<RewardDiagnostics>()).ToArray();
        var output = new List<string>();
        var errors = new List<string>();
        var count = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            count++;
            var lineNumber = i + 1;
            try
            {
                var rollout = RolloutLine.Parse(lines[i], lineNumber);
                var steps = splitter.Split(rollout.Response);
                var success = SuccessOf(rollout, lineNumber);
                for (var d = 0; d < designs.Count; d++)
                {
                    CheckInputs(designs[d].Design, rollout, steps.Length, lineNumber);
                    perDesign[d].Add(RewardComposer.Diagnose(designs[d].Design, rollout.Response, steps, success, rollout.StepScores, rollout.OrmScore));
                }
                output.Add(Annotate(rollout.Json, perDesign[0][^1]).ToJsonString(OutputJson));
            }
            catch (FormatException e)
            {
                errors.Add(e.Message);
                output.Add(ErrorLine(lines[i], e.Message));
            }
        }
        var summaries = designs.Select((d, i) => RewardSummary.Of(d.Label, perDesign[i])).ToArray();
        return (output, new OfflineReport(count, summaries, errors));
    }

    private static string LabelOf(RewardDesign design) =>
        design.Shaping is { } s ? ShapingOptions.NameOf(s.Kind) : "none";

    private SampleScore SuccessOf(RolloutLine rollout, int lineNumber)
    {
        if (rollout.Verdict is { } replayed)
        {
            return new SampleScore { Verdict = new SuccessJudgement(replayed, null, "replayed from the input line"), Outcome = Config.Design.Success.ValueOf(replayed) };
        }
        var score = new SuccessSource(judge, Config.Design.Success).Score(new RewardSample(rollout.Prompt, rollout.Response, rollout.Gold, []));
        return score.Status == ScoreStatus.Ok
            ? score
            : throw new FormatException($"line {lineNumber}: success could not be computed: {score.Error}");
    }

    private static void CheckInputs(RewardDesign design, RolloutLine rollout, int stepCount, int lineNumber)
    {
        if (design.Shaping is { } shaping)
        {
            if (rollout.StepScores is null)
            {
                throw new FormatException($"line {lineNumber}: lacks 'step_scores' (raw learned score per step), which shaping '{ShapingOptions.NameOf(shaping.Kind)}' needs; no PRM model is loaded to compute them");
            }
            if (rollout.StepScores.Count != stepCount)
            {
                throw new FormatException($"line {lineNumber}: 'step_scores' has {rollout.StepScores.Count} value(s) but the response has {stepCount} step(s) under the splitter; expected one score per step");
            }
        }
        if (design.UsesOrm && rollout.OrmScore is null)
        {
            throw new FormatException($"line {lineNumber}: lacks 'orm_score', which orm.alpha ≠ 0 needs; no ORM model is loaded to compute it");
        }
    }

    private static JsonObject Annotate(JsonObject json, RewardDiagnostics d)
    {
        var result = (JsonObject)json.DeepClone();
        result["success"] = d.Success;
        result["verdict"] = d.Verdict is null ? null : SuccessVerdicts.NameOf(d.Verdict.Verdict);
        var steps = new JsonArray();
        foreach (var s in d.Steps) steps.Add(new JsonArray(s.Start, s.End));
        result["steps"] = steps;
        var rewards = new JsonArray();
        foreach (var r in d.StepRewards) rewards.Add(r);
        result["step_rewards"] = rewards;
        result["repeated_steps"] = d.RepeatedStepCount;
        result["learned_return"] = d.LearnedReturn;
        result["total_return"] = d.TotalReturn;
        return result;
    }

    private static string ErrorLine(string original, string error)
    {
        JsonObject result;
        try
        {
            result = JsonNode.Parse(original) is JsonObject o ? o : new JsonObject { ["input"] = original };
        }
        catch (JsonException)
        {
            result = new JsonObject { ["input"] = original };
        }
        result["error"] = error;
        return result.ToJsonString(OutputJson);
    }

    /// <summary>Writes all lines to a temp file beside <paramref name="path"/>, then renames it over
    /// <paramref name="path"/> (atomic on one file system).</summary>
    public static void WriteAtomically(string path, IEnumerable<string> lines)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            foreach (var line in lines)
            {
                writer.Write(line);
                writer.Write('\n');
            }
        });
    }
}
