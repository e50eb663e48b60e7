// LabThreads: runs a few independent pieces of lab work at once, one dedicated thread each (large stacks,
// like the main thread's), with the engine's cores split between them (Kernels.WorkerCount), and rethrows
// the first failure on the calling thread. The lab's shapes are too small for two cores to speed up one
// run, so two runs on one core each finish sooner than one after the other on both. Results never depend
// on the split: every kernel reduces over fixed chunks. Not a scheduler: callers hand out the work.
using ReasonRL.Tensors;
using System.Runtime.ExceptionServices;

namespace ReasonRL.Runs.Lab;

/// <summary>Runs actions concurrently on dedicated threads.</summary>
public static class LabThreads
{
    /// <summary>Runs every action on its own thread (all on the caller's thread when there is one), with
    /// Kernels.WorkerCount = cores / actions during the run; rethrows the first exception.</summary>
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
            var threads = actions.Select((a, i) => new Thread(() =>
            {
                try { a(); }
                catch (Exception e) { errors[i] = ExceptionDispatchInfo.Capture(e); }
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
}
