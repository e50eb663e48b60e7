// KernelTcp: what Linux's TCP stack holds for a loopback server, read from /proc, for `reasonrl bench serve --profile
// overload`: the accept queue of the server's listening socket (connections the kernel has completed but the server has
// not yet accepted — a client's wait there is invisible to the server's own latency figures) and the machine-wide count
// of handshakes dropped because an accept queue was full (TcpExt ListenOverflows). Null where /proc does not have them
// (not Linux). Not a general /proc parser.
using System.Globalization;

namespace ReasonRL.Benchmarks;

public static class KernelTcp
{
    private const string ListenState = "0A";

    /// <summary>Connections waiting in the accept queue of the IPv4 listening socket on <paramref name="port"/> now, or
    /// null when /proc/net/tcp cannot be read or has no such socket.
    /// Reads the file only as far as that socket's line (the kernel lists listening sockets first), since the load
    /// generator samples it every 50 ms while thousands of connections fill the rest.</summary>
    public static int? AcceptQueue(int port)
    {
        try
        {
            return AcceptQueue(File.ReadLines("/proc/net/tcp"), port);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The accept queue of the listening socket on <paramref name="port"/> in <paramref name="procNetTcp"/> (the
    /// text of /proc/net/tcp: for a socket in state 0A, LISTEN, the rx_queue field is its current accept queue).</summary>
    public static int? AcceptQueue(string procNetTcp, int port)
    {
        ArgumentNullException.ThrowIfNull(procNetTcp);
        return AcceptQueue(procNetTcp.Split('\n'), port);
    }

    private static int? AcceptQueue(IEnumerable<string> procNetTcpLines, int port)
    {
        var wanted = port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (var line in procNetTcpLines.Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 5 || fields[3] != ListenState) continue;
            var local = fields[1].Split(':');
            if (local.Length != 2 || !string.Equals(local[1], wanted, StringComparison.OrdinalIgnoreCase)) continue;
            var queues = fields[4].Split(':');
            if (queues.Length == 2 && int.TryParse(queues[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rx)) return rx;
        }
        return null;
    }

    /// <summary>Handshakes dropped since boot because an accept queue was full (all sockets of the machine), or null.</summary>
    public static long? ListenOverflows() => Read("/proc/net/netstat") is { } text ? ListenOverflows(text) : null;

    /// <summary>TcpExt ListenOverflows in <paramref name="procNetNetstat"/> (the text of /proc/net/netstat: a "TcpExt:" line of
    /// names, then one of values).</summary>
    public static long? ListenOverflows(string procNetNetstat)
    {
        ArgumentNullException.ThrowIfNull(procNetNetstat);
        var lines = procNetNetstat.Split('\n').Where(l => l.StartsWith("TcpExt:", StringComparison.Ordinal)).ToArray();
        if (lines.Length < 2) return null;
        var names = lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var values = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = Array.IndexOf(names, "ListenOverflows");
        return at > 0 && at < values.Length && long.TryParse(values[at], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    private static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
