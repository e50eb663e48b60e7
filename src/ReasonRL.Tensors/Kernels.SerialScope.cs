// SerialScope: a thread-local switch that makes every kernel on the current thread run inline
// (ForRanges never forks while one is open). Used by work that is already split across cores at a
// coarser grain — the batched decode step runs each core's slice of sequences through the whole
// layer stack, and one fork per step beats ~35 small forks (one per kernel) inside it.
// What it is not: a thread pool or a lock; scopes nest (a depth counter) and affect only their thread.
namespace ReasonRL.Tensors;

public static unsafe partial class Kernels
{
    [ThreadStatic] private static int t_serialDepth;

    /// <summary>True while a <see cref="SerialScope"/> is open on the calling thread.</summary>
    public static bool InSerialScope => t_serialDepth > 0;

    /// <summary>Opens a scope in which kernels called on this thread do not fork; dispose to close it.</summary>
    public static SerialScope Serial()
    {
        t_serialDepth++;
        return new SerialScope();
    }

    /// <summary>Closes the serial region opened by <see cref="Serial"/> (a struct: no allocation).</summary>
    public readonly struct SerialScope : IDisposable
    {
        public void Dispose() => t_serialDepth--;
    }
}
