// ServerLog: structured request logging for `reasonrl serve`, one logfmt line per event on a writer (stderr in
// the CLI): `ts=… level=warn method=POST path=/get_reward status=503 ms=30001.2 samples=512 kind=timeout msg="…"`.
// The level filters: debug/info log every request, warn logs failed requests (4xx/5xx), error only 5xx.
// Thread-safe (one lock per line). Not ASP.NET's logging (which stays off: its lines are not per request).
using System.Globalization;
using System.Text;

namespace ReasonRL.Server;

public enum ServerLogLevel
{
    Debug,
    Info,
    Warn,
    Error,
    Off,
}

public sealed class ServerLog(TextWriter writer, ServerLogLevel level)
{
    private readonly Lock gate = new();

    public ServerLogLevel Level { get; } = level;

    /// <summary>Parses debug|info|warn|error|off.</summary>
    public static bool TryParse(string text, out ServerLogLevel level) =>
        Enum.TryParse(text, ignoreCase: true, out level) && Enum.IsDefined(level) && !int.TryParse(text, out _);

    public bool Enabled(ServerLogLevel at) => Level != ServerLogLevel.Off && at >= Level;

    /// <summary>Logs one finished request at info (2xx/3xx), warn (4xx) or error (5xx).</summary>
    public void Request(string method, string path, int status, double milliseconds, int? samples, string? kind, string? message)
    {
        var at = status >= 500 ? ServerLogLevel.Error : status >= 400 ? ServerLogLevel.Warn : ServerLogLevel.Info;
        if (!Enabled(at)) return;
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"ts={DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} level={Name(at)} method={method} path={path} status={status} ms={milliseconds:0.0}");
        if (samples is { } n) line.Append(CultureInfo.InvariantCulture, $" samples={n}");
        if (kind is not null) line.Append(" kind=").Append(kind);
        if (message is not null) line.Append(" msg=").Append(Quote(message));
        Write(line.ToString());
    }

    /// <summary>Logs a server event (start, stop) at info.</summary>
    public void Event(ServerLogLevel at, string message)
    {
        if (!Enabled(at)) return;
        Write(string.Create(CultureInfo.InvariantCulture, $"ts={DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} level={Name(at)} msg={Quote(message)}"));
    }

    private void Write(string line)
    {
        lock (gate)
        {
            writer.WriteLine(line);
            writer.Flush();
        }
    }

    private static string Name(ServerLogLevel level) => level.ToString().ToLowerInvariant();

    private static string Quote(string text)
    {
        var one = text.Length > 500 ? text[..500] + "…" : text;
        return "\"" + one.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal) + "\"";
    }
}
