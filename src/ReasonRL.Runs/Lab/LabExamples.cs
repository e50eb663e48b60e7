// LabExamples: picks the example solutions the report shows — (1) the held-out problem on which the
// raw-PRM policy wrote the most unnecessary lines (ties: most lines, then longest), with every other
// design's answer to the same problem from the same seed and the SFT policy's; (2) the first held-out
// problem, answered by every design, as an unselected sample. Not the report layout (LabReport).
using ReasonRL.Training;

namespace ReasonRL.Runs.Lab;

/// <summary>Chooses report examples from the runs' evaluations.</summary>
public static class LabExamples
{
    /// <summary>The example groups; <paramref name="evals"/> maps (design name, seed) to that run's evaluation.</summary>
    public static IReadOnlyList<LabExampleGroup> Pick(LabContext ctx, LabEvalResult baseline, IReadOnlyDictionary<(string Design, int Seed), LabEvalResult> evals)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(evals);
        var groups = new List<LabExampleGroup>();
        string raw = LabDesigns.NameOf(LabDesign.PrmRaw);
        var padded = evals.Where(e => e.Key.Design == raw)
            .SelectMany(e => e.Value.Examples.Select(x => (e.Key.Seed, Example: x)))
            .OrderByDescending(x => x.Example.Unnecessary).ThenByDescending(x => x.Example.Steps).ThenByDescending(x => x.Example.Response.Length)
            .ThenBy(x => x.Seed)
            .FirstOrDefault();
        if (padded.Example is not null)
        {
            groups.Add(Group(ctx, $"Most padded raw-PRM solution (seed {padded.Seed}) and the other designs on the same problem",
                padded.Example.ProblemId, padded.Seed, baseline, evals));
        }
        if (ctx.TestProblems.Count > 0 && ctx.Preset.Seeds.Count > 0)
        {
            groups.Add(Group(ctx, $"First held-out problem, every design (seed {ctx.Preset.Seeds[0]})",
                ctx.TestProblems[0].Id, ctx.Preset.Seeds[0], baseline, evals));
        }
        return groups;
    }

    private static LabExampleGroup Group(LabContext ctx, string title, string problemId, int seed, LabEvalResult baseline,
        IReadOnlyDictionary<(string Design, int Seed), LabEvalResult> evals)
    {
        var problem = ctx.Problem(problemId, "evaluation results");
        var shown = new List<LabShownResponse>();
        if (baseline.Examples.FirstOrDefault(x => x.ProblemId == problemId) is { } b) shown.Add(new LabShownResponse("SFT policy", b));
        foreach (var design in ctx.Preset.Designs)
        {
            if (evals.TryGetValue((LabDesigns.NameOf(design), seed), out var e) && e.Examples.FirstOrDefault(x => x.ProblemId == problemId) is { } x)
            {
                shown.Add(new LabShownResponse($"{LabDesigns.LabelOf(design)} (seed {seed})", x));
            }
        }
        return new LabExampleGroup(title, problem.Question, problem.Gold, shown);
    }
}
