// A minimal in-process HTTP reward service on 127.0.0.1 (System.Net.HttpListener) for the remote
// source tests: each request is answered by a script (status, body, delay) and recorded.
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReasonRL.Rewards.Tests;

internal sealed record ScriptedReply(int Status, string Body, TimeSpan Delay = default);

internal sealed class ScriptedRewardServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly Func<int, string, ScriptedReply> script;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private int arrivals;

    /// <summary>Bodies of the requests read to the end, in arrival order.</summary>
    public List<string> Requests { get; } = [];

    /// <summary>Requests accepted, counted before the body is read: a client that times out and
    /// aborts mid-request still counts here, though its body may never reach <see cref="Requests"/>.</summary>
    public int Arrivals => Volatile.Read(ref arrivals);

    public Uri Endpoint { get; }

    /// <param name="script">(request index from 0, request body) → reply.</param>
    public ScriptedRewardServer(Func<int, string, ScriptedReply> script)
    {
        this.script = script;
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{port}/get_reward");
        loop = Task.Run(ServeAsync);
    }

    /// <summary>A port nobody listens on (bound then released), also used for "connection refused".</summary>
    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    private async Task ServeAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            Interlocked.Increment(ref arrivals);
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8)) body = await reader.ReadToEndAsync().ConfigureAwait(false);
            int index;
            lock (Requests)
            {
                index = Requests.Count;
                Requests.Add(body);
            }
            var reply = script(index, body);
            if (reply.Delay > TimeSpan.Zero) await Task.Delay(reply.Delay, stop.Token).ConfigureAwait(false);
            var bytes = Encoding.UTF8.GetBytes(reply.Body);
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes, stop.Token).ConfigureAwait(false);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            // The client gave up (timeout test) or the server is stopping.
        }
    }

    /// <summary>Waits until <paramref name="count"/> requests have arrived or <paramref name="within"/>
    /// has passed, and returns <see cref="Arrivals"/>: the server may accept a request after the
    /// client has already given up on it, so a count taken right after the call can be short.</summary>
    public async Task<int> WaitForArrivalsAsync(int count, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (Arrivals < count && DateTime.UtcNow < deadline) await Task.Delay(10).ConfigureAwait(false);
        return Arrivals;
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        listener.Close();
        await loop.ConfigureAwait(false);
        stop.Dispose();
    }
}
