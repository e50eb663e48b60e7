// Admission control before any work starts: a request the backlog cannot take gets its 503 at once — before its
// body has arrived, under a flood of large bodies, and when the measured throughput says its deadline cannot be
// met. Every time limit here is a share of the server's configured --timeout-seconds, not an absolute figure, so
// the tests hold on a loaded machine: a refusal that waited for the work, the upload or the deadline would take
// about the whole timeout. The judge sleeps per sample (not CPU-bound), so the throughput it gives does not
// depend on the machine's load either.
using ReasonRL.Rewards.Sources;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Xunit;

namespace ReasonRL.Server.Tests;

public sealed class AdmissionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>"correct" when response == gold, after sleeping <paramref name="perCall"/>; waits for the gate first.</summary>
    private static SuccessJudge Judge(TimeSpan perCall, ManualResetEventSlim? gate = null) => (response, gold) =>
    {
        gate?.Wait(TimeSpan.FromSeconds(60));
        Thread.Sleep(perCall);
        return new SuccessJudgement(response == gold ? SuccessVerdict.Correct : SuccessVerdict.Incorrect);
    };

    /// <summary>A /get_reward body of <paramref name="n"/> samples, padded to about <paramref name="padBytes"/> with a
    /// field the server ignores, last (OpenRLHF's queries come first, so distinct batches differ in their first bytes).</summary>
    private static string Batch(int n, string tag, int padBytes = 0) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["query"] = Enumerable.Range(0, n).Select(i => $"{tag}{i}").ToArray(),
        ["labels"] = Enumerable.Range(0, n).Select(i => $"{tag}{i}").ToArray(),
        ["pad"] = new string('p', padBytes),
    });

    [Fact]
    public void QueueBound_CountsTheRequestsOwnSamples_AndReleaseMakesRoom()
    {
        var admission = new Admission(100, Timeout);
        Assert.True(admission.TryAdmit(60, out _));
        Assert.False(admission.TryAdmit(41, out var refusal));
        Assert.Contains("--max-queued-samples", refusal);
        Assert.Null(admission.Refusal(0));            // room for something
        Assert.True(admission.TryAdmit(40, out _));
        Assert.NotNull(admission.Refusal(0));         // full
        Assert.Equal(100, admission.Admitted);
        admission.Release(60, completed: false);
        Assert.Equal(40, admission.Admitted);
        Assert.Null(admission.SamplesPerSecond);     // nothing finished: no throughput to judge deadlines by
        Assert.True(admission.TryAdmit(60, out _));
    }

    [Fact]
    public void AReservationCountsAsBacklog_UntilAdmittedOrGivenBack()
    {
        var admission = new Admission(100, Timeout);
        Assert.True(admission.TryReserve(60, out _));              // a body of about 60 samples is being read
        Assert.False(admission.TryReserve(41, out var refusal));   // so one of 41 is refused on its headers
        Assert.Contains("being read", refusal);
        Assert.Equal(0, admission.Admitted);
        Assert.True(admission.TryAdmit(50, out _, reservation: 60)); // the parsed count replaces the estimate
        Assert.Equal(50, admission.Admitted);
        Assert.Equal(0, admission.Reserved);
        Assert.True(admission.TryReserve(50, out _));
        Assert.False(admission.TryAdmit(51, out _, reservation: 50)); // a refusal ends the reservation too
        Assert.Equal(0, admission.Reserved);
        Assert.True(admission.TryReserve(50, out _));
        admission.CancelReservation(50);                           // a bad body, a joined retry, a client gone
        Assert.Equal(0, admission.Reserved);
        Assert.True(admission.TryAdmit(50, out _));
        Assert.Equal(100, admission.Admitted);
    }

    [Fact]
    public void TheFirstCheck_CountsTheSamplesABodyOfThisLengthLikelyHolds()
    {
        var admission = new Admission(1000, Timeout);
        Assert.Equal(0, admission.EstimateSamples(50_000, 8192));     // nothing parsed yet
        admission.NoteBody(100_000, 100);                              // 1000 bytes per sample
        Assert.Equal(50, admission.EstimateSamples(50_000, 8192));
        Assert.Equal(20, admission.EstimateSamples(50_000_000, 20));   // capped at the per-request limit
        Assert.True(admission.TryAdmit(960, out _));
        Assert.Null(admission.Refusal(admission.EstimateSamples(40_000, 8192)));      // 40 more fit
        Assert.NotNull(admission.Refusal(admission.EstimateSamples(50_000, 8192)));   // 50 do not: refused before the body
    }

    [Fact]
    public void AfterItsUpload_ARequestItsReservationCovers_IsHeldToThreeQuartersOfTheDeadline_NotHalf()
    {
        var admission = new Admission(10_000_000, Timeout);
        Assert.True(admission.TryAdmit(100, out _));
        Thread.Sleep(600);                                   // busy 0.6 s (at least): a throughput is known
        admission.Release(100, completed: true);
        var rate = admission.SamplesPerSecond!.Value;
        var n = (int)(rate * Timeout.TotalSeconds * 0.625); // would wait 0.625 of the deadline: between the two shares
        Assert.NotNull(admission.Refusal(n));                                    // refused on its headers
        Assert.False(admission.TryAdmit(n, out var refusal));                    // and after an upload it had not reserved for
        Assert.Contains("past the deadline", refusal);
        Assert.False(admission.TryAdmit(n, out _, reservation: n / 2));         // or had reserved too little for
        Assert.True(admission.TryAdmit(n, out _, reservation: n));              // its reservation covered it: admitted
        Assert.False(admission.TryAdmit(n, out _, reservation: n));             // the next would wait 1.25 of the deadline
    }

    [Fact]
    public void TheEstimate_UsesTheSmallestSamplesOfTheLastBodies_SoABatchOfShortSamplesIsNotUnderCounted()
    {
        var admission = new Admission(1000, Timeout);
        admission.NoteBody(100_000, 100);                              // 1000 bytes per sample
        admission.NoteBody(90_000, 100);                               // 900
        admission.NoteBody(110_000, 100);                              // 1100
        Assert.Equal(100, admission.EstimateSamples(90_000, 8192));    // a batch of the shortest samples seen: all 100 counted
        Assert.Equal(56, admission.EstimateSamples(50_000, 8192));     // 50,000 / 900, rounded up
        for (var i = 0; i < Admission.EstimateWindow; i++) admission.NoteBody(100_000, 100);
        Assert.Equal(50, admission.EstimateSamples(50_000, 8192));     // the 900 has left the window
    }

    [Fact]
    public async Task QueueFull_ARequestIsRefusedBeforeItsBodyArrives()
    {
        await using var full = await FullQueue.StartAsync(Timeout);
        var server = full.Server;

        // a client that announces a 1 MB body, sends the headers and 100 bytes of it, then stalls
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Address.Host, server.Address.Port);
        var stream = tcp.GetStream();
        var clock = Stopwatch.StartNew();
        var head = $"POST /get_reward HTTP/1.1\r\nHost: {server.Address.Authority}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "{\"query\": [\"" + new string('x', 88)));
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(Timeout * 2);
        var elapsed = clock.Elapsed;
        Assert.StartsWith("HTTP/1.1 503", statusLine);
        Assert.True(elapsed < Timeout * 0.1, $"the refusal took {elapsed.TotalSeconds:F1} s of a {Timeout.TotalSeconds} s timeout; expected it before the body");
        Assert.Equal(HttpStatusCode.OK, await full.ReleaseAsync());
    }

    [Fact]
    public async Task QueueFull_ARefusedRequestsBodyIsNeverRead_TheConnectionClosesAfterThe503()
    {
        // a deadline far beyond this test's waits: a server that read (or drained) the body would hold the connection
        // open for the rest of a body that never comes, so the end of the stream below would not arrive
        var longTimeout = TimeSpan.FromMinutes(30);
        await using var full = await FullQueue.StartAsync(longTimeout);
        var server = full.Server;

        // connects, waits, announces 50 MB, sends the headers and 100 bytes of the body, then only reads
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Address.Host, server.Address.Port);
        var stream = tcp.GetStream();
        await Task.Delay(500);
        var head = $"POST /get_reward HTTP/1.1\r\nHost: {server.Address.Authority}\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "{\"query\": [\"" + new string('x', 88)));
        var answer = await ReadUntilClosedAsync(buffer => stream.ReadAsync(buffer)).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.StartsWith("HTTP/1.1 503", answer);
        Assert.Contains("\r\nConnection: close\r\n", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\r\nRetry-After: 1\r\n", answer, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("overloaded", answer);
        Assert.Equal(1, server.Metrics.RefusalsUnread);
        Assert.Contains("reasonrl_refused_unread_total 1", server.Metrics.Render(0, 0, null));
        // the first request on a connection is timed from the connection's accept, not from its headers: the client
        // waited 0.5 s before sending them (timed from the headers it would be about 0). The server accepts after the
        // client's connect returns, by however long the accept loop takes to run, so its figure is below 0.5 s.
        Assert.True(server.Metrics.MaxSecondsForKind("overloaded") >= 0.3, $"server-side time {server.Metrics.MaxSecondsForKind("overloaded")} s; the connection waited 0.5 s before its headers");
        Assert.Equal(HttpStatusCode.OK, await full.ReleaseAsync());
    }

    [Fact]
    public async Task QueueFull_AClientStillUploadingALargeBody_ReadsThe503_AsOpenRlhfsClientDoes()
    {
        // OpenRLHF posts with Python's requests: http.client sends the whole body before it reads the answer, and urllib3
        // ignores a reset or broken pipe while sending and then reads the answer. The server reads none of this 8 MB body
        // and closes after its 503, so the upload fails part-way; the 503 must still be in the client's socket.
        await using var full = await FullQueue.StartAsync(Timeout);
        var server = full.Server;

        var body = Encoding.UTF8.GetBytes(Batch(10, "big", 8 * 1024 * 1024));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.Address.Host, server.Address.Port);
        var head = PostHead(server, body.Length);
        long sent = 0;
        try
        {
            await socket.SendAsync(head);
            while (sent < body.Length) sent += await socket.SendAsync(body.AsMemory((int)sent, (int)Math.Min(64 * 1024, body.Length - sent)));
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            // the server closed the connection: read its answer, as urllib3 does
        }
        var answer = await ReadUntilClosedAsync(buffer => socket.ReceiveAsync(buffer)).WaitAsync(TimeSpan.FromSeconds(120));

        Assert.StartsWith("HTTP/1.1 503", answer);
        Assert.Contains("overloaded", answer);
        Assert.True(sent < body.Length, $"the whole {body.Length}-byte body was sent; expected the server to close before reading it");
        Assert.Equal(1, server.Metrics.RefusalsUnread);
        Assert.Equal(HttpStatusCode.OK, await full.ReleaseAsync());
    }

    [Fact]
    public async Task QueueFull_ABodyOfAHeldLengthButAnotherStart_IsRefusedAfterItsFirstBytes_WhileARetryStillJoins()
    {
        // held work's body is about 100 KB; a distinct batch of the very same length may not be a retry, so the server reads
        // its first RequestWork.HeadBytes only, finds no held work starting so, and refuses it without the rest
        await using var full = await FullQueue.StartAsync(Timeout, padBytes: 100_000);
        var server = full.Server;
        var other = Encoding.UTF8.GetBytes(Batch(10, "g", padBytes: 100_000));
        Assert.Equal(full.HeldBody.Length, other.Length);
        Assert.NotEqual(full.HeldBody, other);

        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Address.Host, server.Address.Port);
        var stream = tcp.GetStream();
        var clock = Stopwatch.StartNew();
        await stream.WriteAsync(PostHead(server, other.Length));
        await stream.WriteAsync(other.AsMemory(0, RequestWork.HeadBytes));   // then stalls: the rest never comes
        // the answer comes before the rest of the body (from the front door or from Kestrel, whichever sees the bytes first)
        using var reader = new StreamReader(stream, Encoding.ASCII);
        var statusLine = await reader.ReadLineAsync().WaitAsync(Timeout * 2);
        var elapsed = clock.Elapsed;
        var headers = new List<string>();
        for (var line = await reader.ReadLineAsync(); !string.IsNullOrEmpty(line); line = await reader.ReadLineAsync()) headers.Add(line);

        Assert.StartsWith("HTTP/1.1 503", statusLine);
        Assert.Contains("Connection: close", headers, StringComparer.OrdinalIgnoreCase);
        Assert.True(elapsed < Timeout * 0.1, $"the refusal took {elapsed.TotalSeconds:F1} s of a {Timeout.TotalSeconds} s timeout; expected it after the body's first bytes");
        Assert.Contains("reasonrl_refused_after_head_total 1", server.Metrics.Render(0, 0, null));
        Assert.Equal(0, server.Metrics.RefusalsUnread);

        // the identical body (a retry of the held work) still joins it, though the queue is full
        using var http = new HttpClient();
        var retry = ProtocolTests.PostAsync(http, new Uri(server.Address, "/get_reward"), Encoding.UTF8.GetString(full.HeldBody));
        await TestServers.WaitUntil(() => server.Metrics.Render(0, 0, null).Contains("reasonrl_retry_joins_total 1", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await full.ReleaseAsync());
        Assert.Equal(HttpStatusCode.OK, (await retry).Status);
    }

    /// <summary>A raw HTTP/1.1 POST head for /get_reward with this Content-Length (and an Authorization header when given).</summary>
    private static byte[] PostHead(RewardServer server, long length, string? authorization = null) => Encoding.ASCII.GetBytes(
        $"POST /get_reward HTTP/1.1\r\nHost: {server.Address.Authority}\r\nContent-Type: application/json\r\nContent-Length: {length}\r\n" +
        (authorization is null ? "" : $"Authorization: {authorization}\r\n") + "\r\n");

    /// <summary>Connects while the server holds its accepts, sends <paramref name="bytes"/> (all in the kernel when the
    /// connection is accepted, as under overload), resumes, and reads one answer (until its Content-Length, or until the
    /// server closes).</summary>
    private static async Task<string> SendWhileAcceptsAreHeldAsync(RewardServer server, params byte[][] bytes)
    {
        server.PauseAccepting(true);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(server.Address.Host, server.Address.Port);
            foreach (var piece in bytes) await socket.SendAsync(piece);
        }
        finally
        {
            server.PauseAccepting(false);
        }
        return await ReadAnswerAsync(socket).WaitAsync(Timeout);
    }

    /// <summary>One HTTP answer: its head and its Content-Length body (or what came before the server closed).</summary>
    private static async Task<string> ReadAnswerAsync(Socket socket)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await socket.ReceiveAsync(buffer)) > 0)
            {
                received.Write(buffer, 0, n);
                var text = Encoding.UTF8.GetString(received.ToArray());
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0) continue;
                var length = System.Text.RegularExpressions.Regex.Match(text[..end], "(?i)\r\nContent-Length: *([0-9]+)");
                if (length.Success && Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= int.Parse(length.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)) break;
            }
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // reset by the server after its answer
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }

    [Fact]
    public async Task QueueFull_ARequestWhoseHeadIsInWhenAccepted_IsRefusedByTheFrontDoor_BeforeKestrelSeesIt()
    {
        await using var full = await FullQueue.StartAsync(Timeout);
        var server = full.Server;
        var body = Encoding.UTF8.GetBytes(Batch(10, "d", padBytes: 200_000));

        // the head and the body's first 8 KB only: the answer comes without the rest
        var answer = await SendWhileAcceptsAreHeldAsync(server, PostHead(server, body.Length), body[..8192]);

        Assert.StartsWith("HTTP/1.1 503 Service Unavailable\r\n", answer);
        Assert.Contains("\r\nConnection: close\r\n", answer);
        Assert.Contains("\r\nRetry-After: 1\r\n", answer);
        Assert.Contains("overloaded", answer[answer.IndexOf("\r\n\r\n", StringComparison.Ordinal)..]);
        Assert.Equal(1, server.Metrics.RefusalsAtAccept);
        Assert.Equal(1, server.Metrics.RefusalsUnread);
        var metrics = server.Metrics.Render(0, 0, null);
        Assert.Contains("reasonrl_responses_total{path=\"/get_reward\",code=\"503\"} 1", metrics);
        Assert.Contains("reasonrl_request_errors_total{kind=\"overloaded\"} 1", metrics);
        Assert.Equal(HttpStatusCode.OK, await full.ReleaseAsync());
    }

    [Fact]
    public async Task QueueFull_AtTheFrontDoor_ARetryOfHeldWorkStillJoins_AndABatchOfItsLengthButAnotherStartIsRefused()
    {
        await using var full = await FullQueue.StartAsync(Timeout, padBytes: 100_000);
        var server = full.Server;
        var other = Encoding.UTF8.GetBytes(Batch(10, "g", padBytes: 100_000));
        Assert.Equal(full.HeldBody.Length, other.Length);

        var refused = await SendWhileAcceptsAreHeldAsync(server, PostHead(server, other.Length), other[..(RequestWork.HeadBytes + 100)]);
        Assert.StartsWith("HTTP/1.1 503", refused);
        Assert.Equal(1, server.Metrics.RefusalsAtAccept);
        Assert.Contains("reasonrl_refused_after_head_total 1", server.Metrics.Render(0, 0, null));

        // the held body itself, whole and in when accepted: the front door hands it to Kestrel, and it joins the held work
        var retry = SendWhileAcceptsAreHeldAsync(server, PostHead(server, full.HeldBody.Length), full.HeldBody);
        await TestServers.WaitUntil(() => server.Metrics.Render(0, 0, null).Contains("reasonrl_retry_joins_total 1", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, await full.ReleaseAsync());
        Assert.StartsWith("HTTP/1.1 200", await retry);
        Assert.Equal(1, server.Metrics.RefusalsAtAccept);
    }

    [Fact]
    public async Task QueueFull_AWrongTokenAtTheFrontDoor_Gets401FromKestrel_Not503()
    {
        var gate = new ManualResetEventSlim(false);
        await using var server = await TestServers.StartAsync(Judge(TimeSpan.Zero, gate),
            new ServerOptions(Port: 0, VerifierThreads: 1, MaxSamplesPerRequest: 10, MaxQueuedSamples: 10, RequestTimeout: Timeout, BearerToken: "s3cret"));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.Address, "/get_reward")) { Content = new StringContent(Batch(10, "t"), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "s3cret");
        var held = http.SendAsync(request);
        await TestServers.WaitUntil(() => server.AdmittedSamples == 10);
        var body = Encoding.UTF8.GetBytes(Batch(10, "u"));

        var answer = await SendWhileAcceptsAreHeldAsync(server, PostHead(server, body.Length, "Bearer wrong"), body);
        Assert.StartsWith("HTTP/1.1 401", answer);
        Assert.Equal(0, server.Metrics.RefusalsAtAccept);
        // with the token, the same request is refused at the front door
        var refused = await SendWhileAcceptsAreHeldAsync(server, PostHead(server, body.Length, "Bearer s3cret"), body);
        Assert.StartsWith("HTTP/1.1 503", refused);
        Assert.Equal(1, server.Metrics.RefusalsAtAccept);
        gate.Set();
        Assert.Equal(HttpStatusCode.OK, (await held).StatusCode);
    }

    [Fact]
    public async Task NotOverloaded_ARequestInWhenAccepted_IsHandedToKestrelWhole_AndScored()
    {
        await using var server = await TestServers.StartAsync(Judge(TimeSpan.Zero), new ServerOptions(Port: 0));
        var body = Encoding.UTF8.GetBytes("{\"query\": [\"Q: 1+1? A: 2\"], \"prompts\": [\"Q: 1+1? \"], \"labels\": [\"A: 2\"]}");
        var answer = await SendWhileAcceptsAreHeldAsync(server, PostHead(server, body.Length), body);
        Assert.StartsWith("HTTP/1.1 200", answer);
        Assert.Contains("\"rewards\":[1]", answer);
        Assert.Equal(0, server.Metrics.RefusalsAtAccept);
    }

    [Fact]
    public async Task QueueFull_ARequestWhoseFirstBytesComeAfterItsAccept_IsRefusedByKestrel_AndItsConnectionClosedWithoutADrain()
    {
        // the connection is accepted before any byte of it arrives, so the front door hands it to Kestrel; its length is held
        // work's, so its first bytes are read, and then it is refused; the rest of its body never comes, and the server
        // closes the connection at once instead of draining the body it will not read (Kestrel would wait up to 5 s for it)
        await using var full = await FullQueue.StartAsync(Timeout, padBytes: 100_000);
        var server = full.Server;
        var other = Encoding.UTF8.GetBytes(Batch(10, "k", padBytes: 100_000));
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(server.Address.Host, server.Address.Port);
        await Task.Delay(300); // accepted meanwhile, with nothing in
        await socket.SendAsync(PostHead(server, other.Length));
        await socket.SendAsync(other.AsMemory(0, RequestWork.HeadBytes));
        var clock = Stopwatch.StartNew();
        var answer = await ReadUntilClosedAsync(buffer => socket.ReceiveAsync(buffer)).WaitAsync(Timeout);

        Assert.StartsWith("HTTP/1.1 503", answer);
        Assert.Contains("overloaded", answer);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2.5), $"the connection closed {clock.Elapsed.TotalSeconds:F1} s after the head; expected at once (no drain)");
        Assert.Equal(0, server.Metrics.RefusalsAtAccept);
        Assert.Contains("reasonrl_refused_after_head_total 1", server.Metrics.Render(0, 0, null));
        Assert.Equal(HttpStatusCode.OK, await full.ReleaseAsync());
    }

    /// <summary>A server whose queue (10 samples) is full: one 10-sample request held by a gated judge until ReleaseAsync.</summary>
    private sealed class FullQueue : IAsyncDisposable
    {
        private readonly ManualResetEventSlim gate = new(false);
        private readonly HttpClient http = new();
        private Task<(HttpStatusCode Status, System.Text.Json.Nodes.JsonNode? Body)> held = null!;

        public RewardServer Server { get; private set; } = null!;

        /// <summary>The held request's body (UTF-8).</summary>
        public byte[] HeldBody { get; private set; } = [];

        public static async Task<FullQueue> StartAsync(TimeSpan timeout, int padBytes = 0)
        {
            var full = new FullQueue();
            full.Server = await TestServers.StartAsync(Judge(TimeSpan.Zero, full.gate),
                new ServerOptions(Port: 0, VerifierThreads: 1, MaxSamplesPerRequest: 10, MaxQueuedSamples: 10, RequestTimeout: timeout));
            var body = Batch(10, "h", padBytes);
            full.HeldBody = Encoding.UTF8.GetBytes(body);
            full.held = ProtocolTests.PostAsync(full.http, new Uri(full.Server.Address, "/get_reward"), body);
            await TestServers.WaitUntil(() => full.Server.AdmittedSamples == 10);
            return full;
        }

        /// <summary>Lets the held request finish; its status.</summary>
        public async Task<HttpStatusCode> ReleaseAsync()
        {
            gate.Set();
            return (await held).Status;
        }

        public async ValueTask DisposeAsync()
        {
            gate.Set();
            await Server.DisposeAsync();
            http.Dispose();
            gate.Dispose();
        }
    }

    /// <summary>Everything the server sends until it closes the connection (a reset after its answer counts as closed).</summary>
    internal static async Task<string> ReadUntilClosedAsync(Func<Memory<byte>, ValueTask<int>> read)
    {
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int n;
            while ((n = await read(buffer)) > 0) received.Write(buffer, 0, n);
        }
        catch (Exception e) when (e is IOException or SocketException)
        {
            // reset by the server after its answer
        }
        return Encoding.UTF8.GetString(received.ToArray());
    }

    [Fact]
    public async Task Flood_RefusalsComeBackFastRelativeToTheTimeout_AndTheBacklogStaysBounded()
    {
        // 1 verifier thread at 2 ms per sample: 100 samples per request take 0.2 s; the queue holds two requests
        await using var server = await TestServers.StartAsync(Judge(TimeSpan.FromMilliseconds(2)),
            new ServerOptions(Port: 0, VerifierThreads: 1, MaxSamplesPerRequest: 100, MaxQueuedSamples: 200, RequestTimeout: Timeout));
        // .NET's HttpClient sends the whole body before it reads the answer and reports a reset upload as an error; with
        // Expect: 100-continue it sends the body only when the server starts reading it, so a refusal reaches it intact
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, Expect100ContinueTimeout = Timeout }) { Timeout = Timeout * 2 };
        http.DefaultRequestHeaders.ExpectContinue = true;
        var url = new Uri(server.Address, "/get_reward");
        var backlog = new BacklogWatch(server);
        // 48 distinct requests of 100 samples with 256 KB bodies at once (12 MB of uploads)
        var posts = Enumerable.Range(0, 48).Select(async i =>
        {
            var body = Batch(100, $"f{i}_", 256 * 1024);
            var clock = Stopwatch.StartNew();
            var (status, json) = await ProtocolTests.PostAsync(http, url, body);
            return (Status: status, Seconds: clock.Elapsed.TotalSeconds, Error: status == HttpStatusCode.OK ? null : json?["error"]?.GetValue<string>());
        }).ToArray();
        var answers = await Task.WhenAll(posts);
        var maxAdmitted = await backlog.StopAsync();

        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"status {a.Status}: {a.Error}"));
        var refused = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToArray();
        Assert.NotEmpty(refused);
        Assert.Contains(answers, a => a.Status == HttpStatusCode.OK);
        Assert.All(refused, a => Assert.Contains("overloaded", a.Error));
        var slowest = refused.Max(a => a.Seconds);
        Assert.True(slowest < Timeout.TotalSeconds * 0.25, $"slowest 503 took {slowest:F2} s of a {Timeout.TotalSeconds} s timeout");
        // as the server measured it, from the request's headers to its answer
        Assert.True(server.Metrics.MaxSecondsFor(503) < Timeout.TotalSeconds * 0.1, $"server-side slowest 503: {server.Metrics.MaxSecondsFor(503):F2} s");
        Assert.True(maxAdmitted <= 200, $"{maxAdmitted} samples admitted; the limit is 200");
        Assert.Equal(0, server.ReservedSamples); // every reservation was admitted or given back
    }

    [Fact]
    public async Task BacklogPastTheDeadline_ANewRequestIsRefusedAtOnce_NotTimedOut()
    {
        // 20 ms per sample on one thread: 50 samples/s, whatever the machine's load (the judge sleeps)
        var timeout = TimeSpan.FromSeconds(6);
        await using var server = await TestServers.StartAsync(Judge(TimeSpan.FromMilliseconds(20)),
            new ServerOptions(Port: 0, VerifierThreads: 1, MaxQueuedSamples: 100_000, RequestTimeout: timeout));
        using var http = new HttpClient();
        var url = new Uri(server.Address, "/get_reward");
        for (var i = 0; i < 2; i++) Assert.Equal(HttpStatusCode.OK, (await ProtocolTests.PostAsync(http, url, Batch(40, $"w{i}_"))).Status); // learn the rate
        var rate = server.MeasuredSamplesPerSecond;
        Assert.NotNull(rate);
        Assert.InRange(rate.Value, 20, 60); // at most 50/s; less when the machine delays the sleeps

        // 60 samples ≈ 1.2 s: admitted (it would be refused only below 20 samples/s). Another 100 behind them need
        // 160 / rate ≥ 3.2 s > 0.5 × 6 s: refused at once, where without admission control it would time out
        var first = ProtocolTests.PostAsync(http, url, Batch(60, "a"));
        await TestServers.WaitUntil(() => server.AdmittedSamples == 60);
        var clock = Stopwatch.StartNew();
        var (status, body) = await ProtocolTests.PostAsync(http, url, Batch(100, "b"));
        var elapsed = clock.Elapsed;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Contains("past the deadline", body!["error"]!.GetValue<string>());
        Assert.True(elapsed < timeout * 0.25, $"the refusal took {elapsed.TotalSeconds:F2} s of a {timeout.TotalSeconds} s timeout");
        Assert.Equal(HttpStatusCode.OK, (await first).Status);
    }
}
