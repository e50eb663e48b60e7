// ServeProcess: a `reasonrl serve --port 0` child process for `reasonrl bench serve`, so the server's own memory
// (/proc/<pid>/status VmRSS and its peak VmHWM), gauges (/metrics) and request log (stderr, one logfmt line per
// request at --log-level info) are measured apart from the load generator's. In-process, client and server share one
// heap and one RSS, and a large figure cannot be told apart (issue 16: 10.7 GiB "client + server").
// Linux only for the memory figures (/proc). Not a load generator (ServeLoad) and not a supervisor: the bench kills
// it when done.
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ReasonRL.Benchmarks;

/// <summary>One request as the child's log line gives it (path, status, server-side milliseconds, error kind, the whole line).</summary>
public sealed record ServedRequest(string Path, int Status, double Milliseconds, string? Kind, string Line, int? Samples = null);

public sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly List<string> log = [];

    private ServeProcess(Process process)
    {
        this.process = process;
    }

    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    public int Pid => process.Id;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/> (which must run `serve --port 0 …
    /// --log-level info`) and waits for its "listening on URL" line.</summary>
    /// <exception cref="InvalidOperationException">It exited or did not listen within <paramref name="startTimeout"/> (its output is in the message).</exception>
    public static async Task<ServeProcess> StartAsync(string fileName, IEnumerable<string> arguments, TimeSpan startTimeout)
    {
        var info = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"cannot start {fileName}");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } m) listening.TrySetResult(new Uri(m.Groups[1].Value));
        };
        var child = new ServeProcess(process);
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (child.log) child.log.Add(e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var exited = process.WaitForExitAsync();
        var first = await Task.WhenAny(listening.Task, exited, Task.Delay(startTimeout)).ConfigureAwait(false);
        if (first != listening.Task)
        {
            await child.DisposeAsync().ConfigureAwait(false);
            string said;
            lock (output) said = output + string.Join('\n', child.log);
            throw new InvalidOperationException($"{fileName} serve did not start listening within {startTimeout.TotalSeconds:0} s: {said}");
        }
        child.Address = await listening.Task.ConfigureAwait(false);
        return child;
    }

    /// <summary>The child's resident set now and its peak so far (VmRSS, VmHWM from /proc/PID/status), in bytes.</summary>
    public (long Rss, long PeakRss) Memory()
    {
        long rss = 0, peak = 0;
        try
        {
            foreach (var line in File.ReadLines($"/proc/{process.Id}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kib(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) peak = Kib(line);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // exited, or no /proc (not Linux): unknown
        }
        return (rss, peak);
    }

    /// <summary>The child's CPU time so far, user and system, in seconds (/proc/PID/stat; 100 clock ticks per second,
    /// Linux's USER_HZ); zeros when unknown.</summary>
    public (double User, double System) CpuSeconds() => CpuSecondsOf($"/proc/{process.Id}/stat");

    /// <summary>User and system CPU seconds from a /proc/…/stat file (fields 14 and 15); zeros when it cannot be read.</summary>
    public static (double User, double System) CpuSecondsOf(string statPath)
    {
        try
        {
            var text = File.ReadAllText(statPath);
            var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            // fields[0] is field 3 (state): utime is field 14, stime field 15
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) / 100.0, long.Parse(fields[12], CultureInfo.InvariantCulture) / 100.0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return (0, 0);
        }
    }

    private static long Kib(string line) => 1024 * long.Parse(line.Split(':', 2)[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>The value of an unlabelled gauge or counter in the child's /metrics, or null when it is not there.</summary>
    public async Task<double?> MetricAsync(string name)
    {
        var text = await http.GetStringAsync(new Uri(Address, "/metrics")).ConfigureAwait(false);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(name + " ", StringComparison.Ordinal)) return double.Parse(line.AsSpan(name.Length + 1), CultureInfo.InvariantCulture);
        }
        return null;
    }

    /// <summary>The requests to <paramref name="path"/> logged so far, as the server measured them.</summary>
    public IReadOnlyList<ServedRequest> Requests(string path)
    {
        lock (log)
        {
            // Line: the whole log line, its msg="…" too (the match alone ends before it)
            return log.Select(l => (Line: l, Match: RequestLine().Match(l))).Where(x => x.Match.Success && x.Match.Groups[1].Value == path)
                .Select(x => new ServedRequest(x.Match.Groups[1].Value, int.Parse(x.Match.Groups[2].Value, CultureInfo.InvariantCulture),
                    double.Parse(x.Match.Groups[3].Value, CultureInfo.InvariantCulture), x.Match.Groups[5].Success ? x.Match.Groups[5].Value : null, x.Line,
                    x.Match.Groups[4].Success ? int.Parse(x.Match.Groups[4].Value, CultureInfo.InvariantCulture) : null))
                .ToArray();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!process.HasExited) process.Kill();
            await process.WaitForExitAsync().ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        process.Dispose();
        http.Dispose();
    }

    [GeneratedRegex(@"listening on (http://\S+) ")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"path=(\S+) status=(\d+) ms=([0-9.]+)(?: samples=(\d+))?(?: kind=(\S+))?")]
    private static partial Regex RequestLine();
}
