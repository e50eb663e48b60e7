// Kernels: the fast float kernels of ReasonRL's engine, one file per op (Kernels.<Op>.cs), each a
// forward/backward pair with the same argument order as its scalar reference in Reference.*.cs.
// PARAMETER ORDER (all kernel files): inputs (read-only spans) → sizes / hyper-parameters →
// outputs (writable spans) last. Backward kernels ACCUMULATE (+=) into every d-buffer; the caller
// zeroes gradients once per step. This file holds the shared row-splitting helper.
// What it is not: a tensor library (no shapes carried at run time; sizes are explicit arguments).
// Glossary: N rows (= B·T tokens), C width, V vocab, B sequences, T tokens, H query heads,
// Hkv key/value heads, D head dim, F SwiGLU width.
namespace ReasonRL.Tensors;

/// <summary>Fast single-precision kernels (SIMD via System.Numerics.Tensors, parallel over rows).</summary>
public static unsafe partial class Kernels
{
    /// <summary>Work (≈ multiply-adds) below which a kernel stays on the calling thread.</summary>
    internal const long ParallelWork = 1L << 15;

    /// <summary>Chunks of a parallel reduction (a fixed number, so results do not depend on the core count).</summary>
    internal const int ReductionChunks = 16;

    /// <summary>
    /// Options of every parallel loop of the engine: at most one worker per logical CPU, so a loop
    /// never runs on more pool threads than there are cores (the pool grows during long runs).
    /// </summary>
    public static ParallelOptions Workers { get; private set; } = new() { MaxDegreeOfParallelism = Environment.ProcessorCount };

    /// <summary>
    /// Cores the engine's parallel loops use (default: every logical CPU, i.e. Environment.ProcessorCount,
    /// which DOTNET_PROCESSOR_COUNT overrides). Results never depend on it — every parallel split writes
    /// disjoint outputs or reduces over a fixed number of chunks — so setting it changes speed only; tests
    /// use it to check exactly that in one process.
    /// </summary>
    public static int WorkerCount
    {
        get => Workers.MaxDegreeOfParallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            Workers = new ParallelOptions { MaxDegreeOfParallelism = value };
        }
    }

    /// <summary>Runs body(start, end) over [0, count) split into contiguous chunks, in parallel when
    /// count·costPerItem is large enough to repay the fork and no <see cref="SerialScope"/> is open.</summary>
    internal static void ForRanges(int count, long costPerItem, Action<int, int> body)
    {
        if (count <= 0) return;
        int workers = WorkerCount;
        if (workers <= 1 || count == 1 || count * costPerItem < ParallelWork || t_serialDepth > 0)
        {
            body(0, count);
            return;
        }
        int chunks = Math.Min(count, workers * 4);
        Parallel.For(0, chunks, Workers, ch =>
        {
            int start = (int)((long)count * ch / chunks), end = (int)((long)count * (ch + 1) / chunks);
            if (end > start) body(start, end);
        });
    }

    internal static void RequireLength(string kernel, string buffer, int actual, long expected)
    {
        if (actual < expected)
            throw new ArgumentException($"{kernel}: {buffer} has {actual} floats, expected at least {expected}");
    }
}
