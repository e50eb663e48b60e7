// LabSamplingStage: stages "sample" and "label" of the lab. Sample draws preset.SamplesPerProblem
// responses (temperature 1, the PPO token limit) from the SFT policy for each of the first
// preset.SampleProblems training problems (samples/samples.jsonl); label runs StepLabeller on each
// (samples/labelled.jsonl: every line Correct / Unnecessary / Incorrect with its rule, plus the final
// verdict). These labelled samples are the reward models' training data, together with, for the first
// preset.PerturbedProblems training problems, a corrupted copy of its SFT solution and the SFT solution
// itself (LabStepLabelledSet.CorruptedSolution; Source "corrupted" / "sft"; a RunOnShare of the corrupted copies are
// run-on solutions instead, LabStepLabelledSet.RunOnSolution, Source "run_on"), labelled by the same StepLabeller.
// Not the reward-model training (LabRewardModelStage) and not the labelling rules (StepLabeller).
using ReasonRL.Core;
using ReasonRL.Data.Datasets;
using ReasonRL.Data.Lab;
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Text;
using ReasonRL.Training;
using ReasonRL.Training.Ppo;
using System.Diagnostics;
using System.Globalization;

namespace ReasonRL.Runs.Lab;

/// <summary>Sampling and labelling stages.</summary>
public static class LabSamplingStage
{
    /// <summary>Stage keys.</summary>
    public const string SampleKey = "sample", LabelKey = "label";

    /// <summary>Relative paths of the outputs.</summary>
    public const string SamplesPath = "samples/samples.jsonl", LabelledPath = "samples/labelled.jsonl";

    // Sequences generated together: large enough to amortise the decode loop, small enough for steady progress.
    private const int Chunk = 64;

    /// <summary>Samples the SFT policy unless already complete; returns the samples.</summary>
    public static IReadOnlyList<LabSampleRow> RunSample(LabContext ctx)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        string path = ctx.Folder.PathOf(SamplesPath);
        if (ctx.Folder.IsComplete(SampleKey)) return [.. JsonlFile.Read(path, LabJsonContext.Default.LabSampleRow)];

        var clock = Stopwatch.StartNew();
        var preset = ctx.Preset;
        using var policy = ModelStore.Load(ctx.Folder.PathOf(LabSftStage.PolicyPath), GemmFactory.Create(GemmKind.Managed));
        var jobs = ctx.TrainProblems.Take(preset.SampleProblems)
            .SelectMany(p => Enumerable.Range(0, preset.SamplesPerProblem).Select(k => (Problem: p, Sample: k)))
            .ToList();
        var options = new GenerationOptions { Temperature = 1f, MaxNewTokens = preset.MaxNewTokens, EosIds = ctx.Tokenizer.EosIds };
        var rows = new List<LabSampleRow>(jobs.Count);
        for (int start = 0; start < jobs.Count; start += Chunk)
        {
            ctx.Cancellation.ThrowIfCancellationRequested();
            var part = jobs.Skip(start).Take(Chunk).ToList();
            var prompts = part.Select(j => PromptIds.Of(ctx.Tokenizer, LabTask.Prompt(j.Problem.Question))).ToList();
            // One stream per sample, seeded by its global index: the samples do not depend on the chunking.
            var rngs = part.Select((_, i) => Rng.ForStream(unchecked((ulong)preset.BaseSeed), (ulong)(start + i))).ToList();
            var results = Generator.GenerateBatch(policy, prompts, options, rngs);
            for (int i = 0; i < part.Count; i++)
            {
                rows.Add(new LabSampleRow(part[i].Problem.Id, part[i].Sample,
                    ctx.Tokenizer.Decode(results[i].Tokens, skipSpecialTokens: true), results[i].FinishReason == FinishReason.Length));
            }
            ctx.Progress(new LabProgress(SampleKey, string.Create(CultureInfo.InvariantCulture, $"sampling the SFT policy {rows.Count}/{jobs.Count}"), rows.Count, jobs.Count));
        }
        // Extra reward-model data: for each of the first PerturbedProblems training problems, one corrupted copy of
        // its SFT solution (a wrong result, operand or answer, a repeated or unfinished line) and the SFT solution as
        // written, labelled like every sample by StepLabeller.
        // A RunOnShare of them get a run-on solution instead of the corrupted copy (drawn from a stream of its own, and the
        // corrupted copy drawn regardless, so every other row is the same whatever the share).
        // An ExtraOperationShare get an extra-operation solution instead (the same draw decides, above the run-on share; its
        // solution from a stream of its own, so a share of 0 changes no row).
        var corruptions = Rng.ForStream(unchecked((ulong)preset.BaseSeed), 1UL << 40);
        var runOns = Rng.ForStream(unchecked((ulong)preset.BaseSeed), (1UL << 40) + 1);
        var extras = Rng.ForStream(unchecked((ulong)preset.BaseSeed), (1UL << 40) + 2);
        foreach (var p in ctx.TrainProblems.Take(preset.PerturbedProblems))
        {
            string corrupted = LabStepLabelledSet.CorruptedSolution(p, corruptions);
            double u = preset.RunOnShare > 0 || preset.ExtraOperationShare > 0 ? runOns.NextDouble() : 1;
            rows.Add(u < preset.RunOnShare
                ? new LabSampleRow(p.Id, preset.SamplesPerProblem, LabStepLabelledSet.RunOnSolution(p, runOns), false, LabSampleRow.RunOn)
                : u < preset.RunOnShare + preset.ExtraOperationShare
                ? new LabSampleRow(p.Id, preset.SamplesPerProblem, LabStepLabelledSet.ExtraOperationSolution(p, extras), false, LabSampleRow.ExtraOperation)
                : new LabSampleRow(p.Id, preset.SamplesPerProblem, corrupted, false, LabSampleRow.Corrupted));
            rows.Add(new LabSampleRow(p.Id, preset.SamplesPerProblem + 1, p.SftSolution, false, LabSampleRow.Sft));
        }
        JsonlFile.Write(path, rows, LabJsonContext.Default.LabSampleRow);
        ctx.Folder.Complete(SampleKey, clock.Elapsed);
        return rows;
    }

    /// <summary>Labels the samples unless already complete; returns the labelled rows.</summary>
    public static IReadOnlyList<LabLabelledRow> RunLabel(LabContext ctx, IReadOnlyList<LabSampleRow> samples)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        ArgumentNullException.ThrowIfNull(samples);
        string path = ctx.Folder.PathOf(LabelledPath);
        if (ctx.Folder.IsComplete(LabelKey)) return [.. JsonlFile.Read(path, LabJsonContext.Default.LabLabelledRow)];

        var clock = Stopwatch.StartNew();
        string samplesFile = ctx.Folder.PathOf(SamplesPath);
        var rows = new List<LabLabelledRow>(samples.Count);
        foreach (var s in samples)
        {
            var problem = ctx.Problem(s.ProblemId, samplesFile);
            rows.Add(LabLabelledRow.Of(s, StepLabeller.Label(problem, s.Response)));
            if (rows.Count % 200 == 0 || rows.Count == samples.Count)
            {
                ctx.Progress(new LabProgress(LabelKey, $"labelling steps {rows.Count}/{samples.Count}", rows.Count, samples.Count));
            }
        }
        JsonlFile.Write(path, rows, LabJsonContext.Default.LabLabelledRow);
        ctx.Folder.Complete(LabelKey, clock.Elapsed);
        return rows;
    }
}
