// ThreadNice: lowers the calling thread's scheduling priority (Linux: setpriority on its thread id, i.e. a per-thread
// nice value; lowering needs no privilege). The VerifierPool's threads run niced so that, when scoring keeps every
// core busy, the request path (accepting connections, reading headers, admission's 503, writing answers) still gets a
// core at once: an overloaded server must refuse fast, and its refusals must not queue behind the scoring of work it
// already admitted. Elsewhere (macOS, Windows) it does nothing: .NET's Thread.Priority is not a nice value on Linux.
using System.Runtime.InteropServices;

namespace ReasonRL.Server;

internal static class ThreadNice
{
    private const int PrioProcess = 0; // with a thread id as `who`, Linux applies the value to that one thread

    /// <summary>Raises the calling thread's nice value by <paramref name="by"/> (at most to 19) on Linux, from the value it
    /// has (a server started under `nice -n 5` gets 15, never a higher priority than it was given); true if it took effect.</summary>
    public static bool TryLowerCurrentThread(int by)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(by);
        if (!OperatingSystem.IsLinux() || CurrentThreadNice() is not { } current) return false;
        try
        {
            return SetPriority(PrioProcess, GetTid(), Math.Min(19, current + by)) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    /// <summary>The calling thread's nice value on Linux (from /proc/thread-self/stat), or null elsewhere.</summary>
    public static int? CurrentThreadNice()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var stat = File.ReadAllText("/proc/thread-self/stat");
            // fields after the command name, which is in parentheses and may hold spaces: state is field 3, nice field 19
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    [DllImport("libc", EntryPoint = "gettid")]
    private static extern int GetTid();

    [DllImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static extern int SetPriority(int which, int who, int prio);
}
