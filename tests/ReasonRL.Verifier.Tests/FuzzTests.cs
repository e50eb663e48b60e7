// Fuzz: random and adversarial strings (deep nesting, huge exponents, long inputs, unbalanced
// braces, random unicode, LaTeX fragments). Asserts that no exception escapes and that every call
// stays under a time bound. A smaller count runs in CI; the Slow lane runs a large count.
using ReasonRL.Verifier;
using ReasonRL.Verifier.Evaluation;

namespace ReasonRL.Verifier.Tests;

public class FuzzTests
{
    /// <summary>No call may take longer than this even on a loaded CI machine: a hang detector
    /// (the fuzzer once found an 86-second call, a 100,000-digit literal being printed).</summary>
    private const double HardBoundMs = 1000;

    /// <summary>The 99th percentile must stay within the acceptance bound of 20 ms per call; the
    /// strict worst case is measured on a quiet machine by `reasonrl bench verify --fuzz`.</summary>
    private const double P99BoundMs = 20;

    private static void RunFuzz(int count, int seed)
    {
        var rng = new Random(seed);
        var times = new List<double>(count);
        double worst = 0;
        string worstInput = "";
        for (int n = 0; n < count; n++)
        {
            var (pred, gold) = FuzzCorpus.Pair(rng);
            var r = MathVerifier.Verify(pred, gold); // must not throw
            Assert.True(Enum.IsDefined(r.Verdict));
            Assert.False(string.IsNullOrEmpty(r.Reason));
            times.Add(r.Elapsed.TotalMilliseconds);
            if (r.Elapsed.TotalMilliseconds > worst) { worst = r.Elapsed.TotalMilliseconds; worstInput = pred; }
        }
        times.Sort();
        Assert.True(worst < HardBoundMs, $"worst call {worst:F1} ms on input starting {worstInput[..Math.Min(60, worstInput.Length)]}");
        double p99 = times[(int)(0.99 * (times.Count - 1))];
        Assert.True(p99 < P99BoundMs, $"p99 {p99:F2} ms");
    }

    [Fact]
    public void RandomAndAdversarialInputsNeverThrowAndStayBounded() => RunFuzz(count: 600, seed: 7);

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

    /// <summary>Verdicts, reasons and work do not depend on machine load: the fuzz corpus is run twice
    /// with default options, once quietly and once with every core saturated by busy threads.</summary>
    [Fact]
    public void VerdictsAreIdenticalUnderLoad()
    {
        static (Verdict, string?, long)[] RunCorpus()
        {
            var rng = new Random(19);
            return Enumerable.Range(0, 800).Select(_ =>
            {
                var (pred, gold) = FuzzCorpus.Pair(rng);
                var r = MathVerifier.Verify(pred, gold);
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
        Assert.DoesNotContain(quiet, q => q.Item2!.StartsWith("time backstop", StringComparison.Ordinal));
    }
}
