// LabEvaluation: the held-out evaluation of a policy — greedy answers (GreedyEvaluator) to every test
// problem, each labelled by StepLabeller, summarised as LabEvalSummary. Used for the SFT baseline and
// for every PPO run's final policy, so all table rows are measured the same way.
// Not a judge of its own (StepLabeller + MathVerifier decide) and not sampling (greedy only).
using ReasonRL.Data.Lab;
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Text;
using ReasonRL.Training;
using ReasonRL.Training.Ppo;

namespace ReasonRL.Runs.Lab;

/// <summary>Greedy held-out evaluation.</summary>
public static class LabEvaluation
{
    /// <summary>Loads the policy saved in <paramref name="modelDirectory"/> (ModelStore) and evaluates it on the
    /// lab's evaluation problems (the test split; the validation split in a sweep).</summary>
    public static LabEvalResult Evaluate(string modelDirectory, LabContext ctx, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(ctx);
        using var policy = ModelStore.Load(modelDirectory, GemmFactory.Create(GemmKind.Managed));
        return Evaluate(policy, ctx.Tokenizer, ctx.EvaluationProblems, ctx.Preset.MaxNewTokens, progress, ct: ctx.Cancellation);
    }

    /// <summary>Evaluates <paramref name="policy"/> on <paramref name="problems"/>, in chunks of
    /// <paramref name="chunk"/> prompts so that <paramref name="progress"/> (done, total) can report.</summary>
    public static LabEvalResult Evaluate(Transformer policy, ITokenizer tokenizer, IReadOnlyList<ArithmeticProblem> problems,
        int maxNewTokens, Action<int, int>? progress = null, int chunk = 64, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(problems);
        var examples = new List<LabExample>(problems.Count);
        var labelled = new List<LabelledSolution>(problems.Count);
        for (int start = 0; start < problems.Count; start += chunk)
        {
            ct.ThrowIfCancellationRequested();
            var part = problems.Skip(start).Take(chunk).ToList();
            var answers = GreedyEvaluator.Generate(policy, tokenizer, part.Select(p => LabTask.Prompt(p.Question)).ToList(), maxNewTokens, chunk);
            for (int i = 0; i < part.Count; i++)
            {
                var l = StepLabeller.Label(part[i], answers[i]);
                labelled.Add(l);
                examples.Add(LabExample.Of(part[i], l));
            }
            progress?.Invoke(start + part.Count, problems.Count);
        }
        return new LabEvalResult(LabEvalSummary.Of(labelled), examples);
    }
}
