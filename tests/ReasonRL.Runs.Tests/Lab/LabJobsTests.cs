// LabThreads.RunJobs: a job starts only after the jobs it waits for have finished, a free worker takes
// ready work from later in the list while an earlier job waits (so success-only PPO runs fill the core the
// reward models leave), a failure stops new jobs and is rethrown, and bad job lists are refused up front.
using ReasonRL.Runs.Lab;

namespace ReasonRL.Runs.Tests.Lab;

public sealed class LabJobsTests
{
    [Fact]
    public void Jobs_start_only_after_what_they_wait_for_and_every_job_runs_once()
    {
        var log = new List<string>();
        void Record(string name) { lock (log) log.Add(name); }
        var jobs = new List<LabJob>
        {
            new("prm", [], () => { Thread.Sleep(30); Record("prm"); }),
            new("orm", [], () => Record("orm")),
            new("ppo prm_raw seed 1", ["prm"], () => Record("ppo prm_raw seed 1")),
            new("ppo orm seed 1", ["orm"], () => Record("ppo orm seed 1")),
            new("ppo success seed 1", [], () => Record("ppo success seed 1")),
        };
        LabThreads.RunJobs(jobs, workers: 2);

        Assert.Equal(jobs.Select(j => j.Name).Order(), log.Order());
        Assert.True(log.IndexOf("prm") < log.IndexOf("ppo prm_raw seed 1"));
        Assert.True(log.IndexOf("orm") < log.IndexOf("ppo orm seed 1"));
    }

    [Fact]
    public void A_free_worker_takes_ready_work_from_later_in_the_list_while_a_dependency_runs()
    {
        // Worker 1 holds "slow" until "independent" (later in the list, waiting for nothing) has run on worker 2,
        // past "waits" which cannot start before "slow" ends. With in-order dispatch this would deadlock; the
        // timeout turns that into a failure instead of a hung test.
        using var independentRan = new ManualResetEventSlim();
        var order = new List<string>();
        var jobs = new List<LabJob>
        {
            new("slow", [], () =>
            {
                Assert.True(independentRan.Wait(TimeSpan.FromSeconds(30)), "the independent job did not run while slow was running");
                lock (order) order.Add("slow");
            }),
            new("waits", ["slow"], () => { lock (order) order.Add("waits"); }),
            new("independent", [], () => { lock (order) order.Add("independent"); independentRan.Set(); }),
        };
        LabThreads.RunJobs(jobs, workers: 2);
        Assert.Equal(["independent", "slow", "waits"], order);
    }

    [Fact]
    public void One_worker_runs_the_jobs_in_list_order_when_nothing_waits()
    {
        var order = new List<int>();
        LabThreads.RunJobs(Enumerable.Range(0, 5).Select(i => new LabJob($"j{i}", [], () => order.Add(i))).ToList(), workers: 1);
        Assert.Equal([0, 1, 2, 3, 4], order);
    }

    [Fact]
    public void A_failure_stops_the_jobs_that_wait_for_it_and_is_rethrown()
    {
        int dependentRuns = 0;
        var jobs = new List<LabJob>
        {
            new("prm", [], () => throw new InvalidOperationException("PRM training failed")),
            new("ppo prm_raw seed 1", ["prm"], () => Interlocked.Increment(ref dependentRuns)),
        };
        var e = Assert.Throws<InvalidOperationException>(() => LabThreads.RunJobs(jobs, workers: 2));
        Assert.Equal("PRM training failed", e.Message);
        Assert.Equal(0, dependentRuns);
    }

    [Theory]
    [InlineData("duplicate", "listed twice")]
    [InlineData("unknown", "which is not a job")]
    [InlineData("cycle", "cycle")]
    public void Bad_job_lists_are_refused_before_anything_runs(string kind, string expected)
    {
        int ran = 0;
        void Run() => Interlocked.Increment(ref ran);
        List<LabJob> jobs = kind switch
        {
            "duplicate" => [new("a", [], Run), new("a", [], Run)],
            "unknown" => [new("a", ["nope"], Run)],
            _ => [new("free", [], Run), new("a", ["b"], Run), new("b", ["a"], Run)],
        };
        var e = Assert.Throws<ArgumentException>(() => LabThreads.RunJobs(jobs, workers: 2));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Equal(0, ran);
    }

    [Fact]
    public void RunAll_splits_the_cores_until_one_finishes_then_gives_the_other_all_of_them()
    {
        int saved = ReasonRL.Tensors.Kernels.WorkerCount;
        try
        {
            ReasonRL.Tensors.Kernels.WorkerCount = 4;
            using var besideDone = new ManualResetEventSlim();
            using var mainStarted = new ManualResetEventSlim();
            int mainAtStart = 0, mainAfter = 0, besideSaw = 0;
            LabThreads.RunAll(
            [
                () =>
                {
                    mainAtStart = ReasonRL.Tensors.Kernels.WorkerCount;
                    mainStarted.Set();
                    Assert.True(besideDone.Wait(TimeSpan.FromSeconds(30)));
                    // the other action's thread hands its cores over in its finally, right after it signals
                    for (int i = 0; i < 3000 && ReasonRL.Tensors.Kernels.WorkerCount != 4; i++) Thread.Sleep(1);
                    mainAfter = ReasonRL.Tensors.Kernels.WorkerCount;
                },
                () =>
                {
                    Assert.True(mainStarted.Wait(TimeSpan.FromSeconds(30)));
                    besideSaw = ReasonRL.Tensors.Kernels.WorkerCount;
                    besideDone.Set();
                },
            ]);
            Assert.Equal(2, mainAtStart);
            Assert.Equal(2, besideSaw);
            Assert.Equal(4, mainAfter);
            Assert.Equal(4, ReasonRL.Tensors.Kernels.WorkerCount);

            var e = Assert.Throws<InvalidOperationException>(() => LabThreads.RunAll([() => { }, () => throw new InvalidOperationException("beside failed")]));
            Assert.Equal("beside failed", e.Message);
            Assert.Equal(4, ReasonRL.Tensors.Kernels.WorkerCount);
        }
        finally
        {
            ReasonRL.Tensors.Kernels.WorkerCount = saved;
        }
    }
}
