// Fuzz: random and adversarial strings (deep nesting, huge exponents, long inputs, unbalanced
// braces, random unicode, LaTeX fragments). Asserts that no exception escapes and that every call is
// bounded by the deterministic work budget: it finishes within WorkBudget steps or stops as
// Unverifiable("work budget exceeded"), never Incorrect. Latency is not asserted here (a loaded
// machine makes any millisecond bound flaky): the worst case against the 20 ms bound is a figure of
// `reasonrl bench verify --fuzz 20000`. A smaller count runs in CI; the Slow lane runs a large count.
using ReasonRL.Verifier;
using ReasonRL.Verifier.Evaluation;

namespace ReasonRL.Verifier.Tests;

public class FuzzTests
{
    /// <summary>The defaults with the wall-clock hang guard pushed out of the way (1 minute), so that every
    /// verdict in these tests is decided by the work budget alone, whatever the machine load.</summary>
    internal static readonly VerifyOptions WorkOnly = VerifyOptions.Default with { TimeBudget = TimeSpan.FromMinutes(1) };

    /// <summary>A hang detector, not a latency bound: a call that runs past it is stuck in uncounted work (the
    /// fuzzer once found an 86-second call, a 100,000-digit literal being printed); a slow but bounded call on a
    /// loaded machine stays orders of magnitude below it.</summary>
    private static readonly TimeSpan Hang = TimeSpan.FromSeconds(20);

    private static void RunFuzz(int count, int seed)
    {
        var rng = new Random(seed);
        int stopped = 0;
        for (int n = 0; n < count; n++)
        {
            var (pred, gold) = FuzzCorpus.Pair(rng);
            var r = MathVerifier.Verify(pred, gold, WorkOnly); // must not throw
            string what = $"input starting {pred[..Math.Min(60, pred.Length)]}";
            Assert.True(Enum.IsDefined(r.Verdict));
            string reason = r.Reason ?? "";
            Assert.NotEqual("", reason);
            Assert.DoesNotContain("time backstop", reason, StringComparison.Ordinal);
            if (reason.StartsWith("work budget exceeded", StringComparison.Ordinal))
            {
                Assert.Equal(Verdict.Unverifiable, r.Verdict);
                stopped++;
            }
            else
            {
                Assert.True(r.WorkSpent <= WorkOnly.WorkBudget, $"{r.WorkSpent} steps charged without stopping, {what}");
            }
            Assert.True(r.Elapsed < Hang, $"{r.Elapsed.TotalSeconds:F1} s (a hang: uncounted work), {what}");
        }
        // The corpus is adversarial, but the default budget covers all but the rare monster inputs (3 of the Slow lane's 3,000).
        Assert.True(stopped <= count / 200, $"{stopped} of {count} calls stopped by the work budget");
    }

    [Fact]
    public void RandomAndAdversarialInputsNeverThrowAndStayWithinTheWorkBudget() => RunFuzz(count: 600, seed: 7);

    [Fact]
    [Trait("Lane", "Slow")]
    public void LargeFuzzCorpus() => RunFuzz(count: 3000, seed: 11);

    [Fact]
    public void ConcurrentCallsAgreeWithSequentialOnes()
    {
        var rng = new Random(3);
        var inputs = Enumerable.Range(0, 400).Select(_ => (FuzzCorpus.Input(rng), "x^2+1")).ToArray();
        var sequential = inputs.Select(p => MathVerifier.Verify(p.Item1, p.Item2).Verdict).ToArray();
        var parallel = new Verdict[inputs.Length];
        Parallel.For(0, inputs.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            k => parallel[k] = MathVerifier.Verify(inputs[k].Item1, inputs[k].Item2).Verdict);
        Assert.Equal(sequential, parallel);
    }

    /// <summary>Verdicts, reasons and work do not depend on machine load: the fuzz corpus is run twice, once
    /// quietly and once with every core saturated by busy threads. The hang guard is out of the way (WorkOnly):
    /// the default 1 s guard should never fire either, but on a machine loaded by others that is a matter of time.</summary>
    [Fact]
    public void VerdictsAreIdenticalUnderLoad()
    {
        static (Verdict, string?, long)[] RunCorpus()
        {
            var rng = new Random(19);
            return Enumerable.Range(0, 800).Select(_ =>
            {
                var (pred, gold) = FuzzCorpus.Pair(rng);
                var r = MathVerifier.Verify(pred, gold, WorkOnly);
                return (r.Verdict, r.Reason, r.WorkSpent);
            }).ToArray();
        }
        var quiet = RunCorpus();
        int stop = 0;
        var burners = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => new Thread(() =>
        {
            double x = 1;
            while (Volatile.Read(ref stop) == 0) x = Math.Sqrt(x + 1.5);
            GC.KeepAlive(x);
        })
        { IsBackground = true }).ToArray();
        foreach (var t in burners) t.Start();
        (Verdict, string?, long)[] loaded;
        try { loaded = RunCorpus(); }
        finally { Volatile.Write(ref stop, 1); foreach (var t in burners) t.Join(); }
        Assert.Equal(quiet, loaded);
    }
}
