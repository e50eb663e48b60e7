// LabThreads: runs a few independent pieces of lab work at once, one dedicated thread each (large stacks,
// like the main thread's), with the engine's cores split between them (Kernels.WorkerCount), and rethrows
// the first failure on the calling thread. The lab's shapes are too small for two cores to speed up one
// run, so two runs on one core each finish sooner than one after the other on both. Results never depend
// on the split: every kernel reduces over fixed chunks. RunJobs hands out jobs that wait for others (a PPO
// run with a PRM reward waits for the PRM), so independent work fills a core another job has left idle.
using ReasonRL.Tensors;
using System.Runtime.ExceptionServices;

namespace ReasonRL.Runs.Lab;

/// <summary>A piece of lab work for <see cref="LabThreads.RunJobs"/>.</summary>
/// <param name="Name">Unique name, e.g. "prm" or "ppo prm_raw seed 1".</param>
/// <param name="After">Names of the jobs that must finish first (none: ready at once).</param>
/// <param name="Run">The work.</param>
public sealed record LabJob(string Name, IReadOnlyList<string> After, Action Run);

/// <summary>Runs actions concurrently on dedicated threads.</summary>
public static class LabThreads
{
    /// <summary>Runs every action on its own thread (all on the caller's thread when there is one), with
    /// Kernels.WorkerCount = cores / actions still running: each action that finishes hands its cores to the others
    /// (results never depend on the split); rethrows the first exception.</summary>
    public static void RunAll(IReadOnlyList<Action> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count == 0) return;
        int saved = Kernels.WorkerCount;
        try
        {
            Kernels.WorkerCount = Math.Max(1, saved / actions.Count);
            if (actions.Count == 1)
            {
                actions[0]();
                return;
            }
            var errors = new ExceptionDispatchInfo?[actions.Count];
            int running = actions.Count;
            var gate = new object();
            var threads = actions.Select((a, i) => new Thread(() =>
            {
                try { a(); }
                catch (Exception e) { errors[i] = ExceptionDispatchInfo.Capture(e); }
                finally
                {
                    lock (gate)
                    {
                        if (--running > 0) Kernels.WorkerCount = Math.Max(1, saved / running);
                    }
                }
            }, maxStackSize: 16 << 20)
            { IsBackground = true, Name = "lab worker " + i }).ToList();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
            foreach (var e in errors) e?.Throw();
        }
        finally
        {
            Kernels.WorkerCount = saved;
        }
    }

    /// <summary>Runs <paramref name="jobs"/> on <paramref name="workers"/> threads (RunAll's core split): each free
    /// worker takes the first job in list order whose <see cref="LabJob.After"/> jobs have finished, and waits while
    /// none is ready. After a failure no job starts; the running ones finish and the first failure is rethrown.
    /// Throws ArgumentException for a duplicate name, an unknown dependency or a cycle (a job that could never start).</summary>
    public static void RunJobs(IReadOnlyList<LabJob> jobs, int workers)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var job in jobs)
        {
            if (!names.Add(job.Name)) throw new ArgumentException($"lab job \"{job.Name}\" is listed twice", nameof(jobs));
        }
        foreach (var job in jobs)
        {
            foreach (var d in job.After)
            {
                if (!names.Contains(d)) throw new ArgumentException($"lab job \"{job.Name}\" waits for \"{d}\", which is not a job", nameof(jobs));
            }
        }
        if (!Schedulable(jobs)) throw new ArgumentException("lab jobs wait for each other in a cycle", nameof(jobs));
        if (jobs.Count == 0) return;

        var gate = new object();
        var done = new HashSet<string>(StringComparer.Ordinal);
        var started = new bool[jobs.Count];
        bool failed = false;
        // The first job, in list order, not started and whose After jobs have all finished; -1 when none is (call under the gate).
        int NextReady()
        {
            for (int i = 0; i < jobs.Count; i++)
            {
                if (!started[i] && jobs[i].After.All(done.Contains)) return i;
            }
            return -1;
        }
        void Worker()
        {
            while (true)
            {
                int pick = -1;
                lock (gate)
                {
                    // wait while jobs are left but none is ready (a running job's end pulses the gate)
                    while (!failed && (pick = NextReady()) < 0 && Array.IndexOf(started, false) >= 0) Monitor.Wait(gate);
                    if (failed || pick < 0) return;
                    started[pick] = true;
                }
                try
                {
                    jobs[pick].Run();
                }
                catch
                {
                    lock (gate)
                    {
                        failed = true;
                        Monitor.PulseAll(gate);
                    }
                    throw;
                }
                lock (gate)
                {
                    done.Add(jobs[pick].Name);
                    Monitor.PulseAll(gate);
                }
            }
        }
        RunAll(Enumerable.Repeat<Action>(Worker, Math.Clamp(workers, 1, jobs.Count)).ToList());
    }

    // Kahn's check: every job can start once the jobs before it in some order have finished.
    private static bool Schedulable(IReadOnlyList<LabJob> jobs)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var left = jobs.ToList();
        while (left.Count > 0)
        {
            int removed = left.RemoveAll(j => j.After.All(done.Contains) && done.Add(j.Name));
            if (removed == 0) return false;
        }
        return true;
    }
}
