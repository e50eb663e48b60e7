// `reasonrl lab sweep`: the grid's points are the cartesian product of its axes; a sweep trains only the
// success-only design, evaluates on the validation split (never the test split), shares data + SFT between
// points that change only PPO settings, marks the best mean validation accuracy, and writes its table.
using ReasonRL.Runs.Lab;
using System.Text.Json;

namespace ReasonRL.Runs.Tests.Lab;

public sealed class LabSweepTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rrl-lab-sweep-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    [Fact]
    public void Grid_expands_to_the_cartesian_product_first_axis_slowest()
    {
        var points = LabSweep.Expand(["policy_lr=1e-5,2e-5", "kl_coef=0,0.01,0.1"]);
        Assert.Equal(6, points.Count);
        Assert.Equal(["policy_lr=1e-5", "kl_coef=0"], points[0]);
        Assert.Equal(["policy_lr=1e-5", "kl_coef=0.01"], points[1]);
        Assert.Equal(["policy_lr=2e-5", "kl_coef=0.1"], points[5]);
        Assert.Single(LabSweep.Expand([]));
        Assert.Contains("unknown key", Assert.Throws<ArgumentException>(() => LabSweep.Expand(["lr=1"])).Message, StringComparison.Ordinal);
        Assert.Contains("expected key=v1,v2", Assert.Throws<ArgumentException>(() => LabSweep.Expand(["policy_lr"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_split_is_disjoint_from_train_and_test_and_keeps_the_training_prefix()
    {
        var a = new LabContext(LabRunFolder.Open(Path.Combine(root, "a"), LabEndToEndTests.Tiny), LabEndToEndTests.Tiny, null, default);
        var bigger = LabEndToEndTests.Tiny with { ValidationProblems = 30 };
        var b = new LabContext(LabRunFolder.Open(Path.Combine(root, "b"), bigger), bigger, null, default, evaluateOnValidation: true);
        Assert.Equal(a.TrainProblems.Select(p => p.CanonicalForm), b.TrainProblems.Select(p => p.CanonicalForm));
        Assert.Equal(a.ValidationProblems.Select(p => p.Id), b.ValidationProblems.Take(a.ValidationProblems.Count).Select(p => p.Id));
        var forms = b.TrainProblems.Select(p => p.CanonicalForm).ToHashSet();
        Assert.DoesNotContain(b.ValidationProblems, p => forms.Contains(p.CanonicalForm));
        Assert.All(b.ValidationProblems, p => Assert.Equal(Data.Lab.LabSplit.Train, p.Split));
        Assert.Same(a.TestProblems.GetType(), a.EvaluationProblems.GetType());
        Assert.Equal(a.TestProblems.Select(p => p.Id), a.EvaluationProblems.Select(p => p.Id));
        Assert.Equal(b.ValidationProblems.Select(p => p.Id), b.EvaluationProblems.Select(p => p.Id));
    }

    [Fact]
    [Trait("Lane", "Slow")]
    public void Sweep_trains_success_only_scores_on_validation_and_marks_the_best_point()
    {
        var sweep = LabSweep.Run(LabEndToEndTests.Tiny with { Designs = LabDesigns.Default }, ["ppo_steps=1"], ["policy_lr=1e-4,3e-4"], root, "reasonrl lab sweep (test)");
        Assert.Equal(2, sweep.Points.Count);
        Assert.Single(sweep.Points, p => p.Chosen);
        Assert.Equal(sweep.Points.Max(p => p.MeanAccuracy), sweep.Points.Single(p => p.Chosen).MeanAccuracy);
        Assert.True(File.Exists(Path.Combine(root, "sweep.md")));
        Assert.Contains("| policy_lr=1e-4 |", File.ReadAllText(Path.Combine(root, "sweep.md")), StringComparison.Ordinal);
        foreach (var point in new[] { "policy_lr=1e-4", "policy_lr=3e-4" })
        {
            string dir = Path.Combine(root, "points", point);
            Assert.Equal(["success"], Directory.GetDirectories(Path.Combine(dir, "runs")).Select(Path.GetFileName));
            // Only validation problems (train split) are evaluated, never the test split.
            using var eval = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "runs/success/seed-1/eval.json")));
            var ids = eval.RootElement.GetProperty("examples").EnumerateArray().Select(e => e.GetProperty("problem_id").GetString()!).ToList();
            Assert.Equal(LabEndToEndTests.Tiny.ValidationProblems, ids.Count);
            Assert.All(ids, id => Assert.StartsWith("train-", id, StringComparison.Ordinal));
            // The shared SFT policy was copied, not retrained.
            Assert.Equal(File.ReadAllBytes(Path.Combine(root, "shared/sft/model/model.safetensors")), File.ReadAllBytes(Path.Combine(dir, "sft/model/model.safetensors")));
        }
    }
}
