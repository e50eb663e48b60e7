// RawHttpPost: one HTTP/1.1 POST the way OpenRLHF's client sends it, for `reasonrl bench serve --profile overload`.
// OpenRLHF calls requests.post without a session (Python requests → urllib3 → http.client): a new TCP connection per
// call, the headers and the whole body sent before the answer is read, and — urllib3's connection pool does this — a
// broken pipe or connection reset while sending is ignored, and the answer is read anyway (a server may legitimately
// answer early and close: the answer is already in the client's socket). .NET's HttpClient instead reports such an
// upload as an error, so the overload profile, which models OpenRLHF, posts with this. The body is sent from the
// caller's pieces as they are (no copy, no serialisation per try). Loopback load generation only: no TLS, no chunked
// answers, no redirects; not a general HTTP client.
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReasonRL.Benchmarks;

/// <summary>An answer: status, body text, and how many body bytes were sent before the server stopped reading.</summary>
public sealed record RawAnswer(int Status, string Body, long BodyBytesSent);

public static class RawHttpPost
{
    /// <summary>POSTs <paramref name="body"/> (its pieces, in order) to <paramref name="path"/> on <paramref name="server"/> on a
    /// new connection and reads the answer (Content-Length bodies only).</summary>
    /// <exception cref="IOException">The connection closed or broke before a whole answer came.</exception>
    /// <exception cref="SocketException">The connection could not be made, or broke while the answer was read.</exception>
    public static async Task<RawAnswer> PostAsync(IPEndPoint server, string path, IReadOnlyList<ReadOnlyMemory<byte>> body, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(body);
        long length = 0;
        foreach (var piece in body) length += piece.Length;
        using var socket = new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
        var head = Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"POST {path} HTTP/1.1\r\nHost: {server}\r\nUser-Agent: reasonrl-bench (OpenRLHF-like)\r\nAccept-Encoding: identity\r\nAccept: */*\r\n" +
            $"Connection: keep-alive\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n\r\n"));
        long sent = 0;
        async Task SendAsync(ReadOnlyMemory<byte> data, bool isBody)
        {
            while (!data.IsEmpty)
            {
                var n = await socket.SendAsync(data, SocketFlags.None, cancellationToken).ConfigureAwait(false);
                data = data[n..];
                if (isBody) sent += n;
            }
        }
        try
        {
            await SendAsync(head, isBody: false).ConfigureAwait(false);
            foreach (var piece in body) await SendAsync(piece, isBody: true).ConfigureAwait(false);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            // the server answered early and closed: read its answer, as urllib3 does
        }
        return await ReadAnswerAsync(socket, sent, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<RawAnswer> ReadAnswerAsync(Socket socket, long sent, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var filled = 0;
        var headEnd = -1;
        while (headEnd < 0)
        {
            if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new IOException($"the connection closed after {filled} byte(s) of the answer's head");
            filled += n;
            headEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
        }
        var headText = Encoding.ASCII.GetString(buffer, 0, headEnd);
        var lines = headText.Split("\r\n");
        var status = lines[0].Split(' ', 3) is [_, var code, ..] && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            ? s : throw new IOException($"bad status line '{lines[0]}'");
        var contentLength = 0;
        foreach (var line in lines.Skip(1))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = int.Parse(line.AsSpan("Content-Length:".Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
            }
        }
        var bodyStart = headEnd + 4;
        var total = bodyStart + contentLength;
        if (buffer.Length < total) Array.Resize(ref buffer, total);
        while (filled < total)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(filled, total - filled), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (n == 0) throw new IOException($"the connection closed after {filled - bodyStart} of {contentLength} answer body byte(s)");
            filled += n;
        }
        return new RawAnswer(status, Encoding.UTF8.GetString(buffer, bodyStart, contentLength), sent);
    }
}
