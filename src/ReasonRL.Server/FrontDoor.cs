// FrontDoor: the server's listening socket, ahead of Kestrel. One thread of its own accepts each connection and looks at
// the bytes already received (MSG_PEEK: nothing is consumed). A triage callback (RewardServer's admission) either gives a
// whole HTTP answer — a 503 for a request the server would refuse on its headers or its body's first bytes — which this
// thread sends before closing the connection, or hands the connection, untouched, to Kestrel's socket transport
// (SocketConnectionContextFactory), which then reads and serves it as if it had accepted it itself.
// Why: under overload, OpenRLHF-like clients open a connection per try. With Kestrel alone, at 3× offered load the accept
// queue held about 2,000 connections on average and a refusal waited 3–5 s there before any server code saw it, even with
// the verifier threads at the lowest priority; with this thread the queue holds about 5 and refusals take milliseconds
// (docs/serve.md, session 12). Kestrel's accept loop runs on a thread-pool thread that also starts each accepted
// connection's reads (seen in a profile), competing for the cores with every other runnable thread; that it fell behind
// for this reason is the likely explanation, not a measured one. Here a refusal costs an accept, a peek, a send and a
// close, on a thread that does nothing else.
// A connection whose head has not arrived when it is accepted (an idle machine accepts at once) goes to Kestrel, as does
// every request the triage does not refuse: the triage never waits for bytes, so a slow client cannot hold this thread.
// Not HTTP: RequestHead reads the head; the triage (RewardServer) decides.
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace ReasonRL.Server;

/// <summary>The front door's decision on a connection's first bytes (<paramref name="received"/>, as many as had arrived,
/// at most <see cref="FrontDoor.PeekBytes"/>): a whole HTTP answer to send before closing the connection, or null to hand
/// it to Kestrel. <paramref name="acceptedAt"/>: the Stopwatch timestamp of its accept. Must not block or throw.</summary>
public delegate byte[]? FrontDoorTriage(ReadOnlySpan<byte> received, long acceptedAt);

/// <summary>Kestrel's transport for RewardServer: binds a <see cref="FrontDoor"/> per endpoint.</summary>
internal sealed class FrontDoorFactory(FrontDoorTriage triage, int backlog, long maxReadBufferSize) : IConnectionListenerFactory
{
    /// <summary>The accept backlog each listening socket is given.</summary>
    public int Backlog => backlog;

    private readonly List<FrontDoor> bound = [];

    /// <summary>The listeners bound so far (one per endpoint; for tests).</summary>
    public IReadOnlyList<FrontDoor> Bound
    {
        get
        {
            lock (bound) return bound.ToArray();
        }
    }

    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        // the socket transport's own connection type, with the read limit Kestrel's MaxRequestBufferSize would give it
        var contexts = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions { MaxReadBufferSize = maxReadBufferSize }, NullLogger.Instance);
        var door = FrontDoor.Bind(endpoint, backlog, triage, contexts);
        lock (bound) bound.Add(door);
        return ValueTask.FromResult<IConnectionListener>(door);
    }
}

internal sealed class FrontDoor : IConnectionListener
{
    /// <summary>At most this many received bytes are looked at: a head (a few hundred bytes from OpenRLHF's client) and
    /// the body's first RequestWork.HeadBytes.</summary>
    public const int PeekBytes = 48 * 1024;

    /// <summary>The connection item holding the Stopwatch timestamp of a handed-over connection's accept.</summary>
    public const string AcceptedItem = "reasonrl.accepted";

    private readonly Socket listen;
    private readonly FrontDoorTriage triage;
    private readonly SocketConnectionContextFactory contexts;
    private readonly Channel<(Socket Socket, long AcceptedAt)> handed = Channel.CreateUnbounded<(Socket, long)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Thread thread;
    private volatile bool stopping;
    private long answered;

    private FrontDoor(Socket listen, FrontDoorTriage triage, SocketConnectionContextFactory contexts)
    {
        this.listen = listen;
        this.triage = triage;
        this.contexts = contexts;
        EndPoint = listen.LocalEndPoint!;
        thread = new Thread(Run) { IsBackground = true, Name = "reasonrl-accept" };
        thread.Start();
    }

    public EndPoint EndPoint { get; }

    /// <summary>Holds accepting (true: returns once the accept thread has stopped accepting) or resumes it (false). While
    /// held, connections wait in the kernel's accept queue (tests: a request whose bytes are all in when it is accepted, as
    /// under overload).</summary>
    internal void Hold(bool hold)
    {
        paused = hold;
        if (!hold) return;
        var waited = Stopwatch.StartNew();
        while (!holding && !stopping && waited.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(1);
    }

    private volatile bool paused;
    private volatile bool holding;

    /// <summary>Connections answered here (and closed) rather than handed to Kestrel.</summary>
    public long Answered => Interlocked.Read(ref answered);

    public static FrontDoor Bind(EndPoint endpoint, int backlog, FrontDoorTriage triage, SocketConnectionContextFactory contexts)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (endpoint is IPEndPoint { AddressFamily: AddressFamily.InterNetworkV6 } ip && ip.Address.Equals(IPAddress.IPv6Any)) socket.DualMode = true;
            if (!OperatingSystem.IsWindows()) socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(backlog);
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            socket.Dispose();
            throw new AddressInUseException(e.Message, e);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new FrontDoor(socket, triage, contexts);
    }

    private void Run()
    {
        var buffer = new byte[PeekBytes];
        while (!stopping)
        {
            if (paused)
            {
                holding = true;
                Thread.Sleep(5);
                continue;
            }
            holding = false;
            Socket connection;
            try
            {
                // a bounded wait, so that Unbind is seen even where closing a socket does not wake a blocked accept
                if (!listen.Poll(TimeSpan.FromMilliseconds(200), SelectMode.SelectRead) || paused) continue;
                connection = listen.Accept();
            }
            catch (SocketException) when (!stopping)
            {
                continue; // a connection reset before it was accepted, or out of descriptors for a moment
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                break;
            }
            var acceptedAt = Stopwatch.GetTimestamp();
            byte[]? answer = null;
            try
            {
                connection.NoDelay = true;
                var available = connection.Available;
                if (available > 0)
                {
                    var n = connection.Receive(buffer, 0, Math.Min(available, buffer.Length), SocketFlags.Peek);
                    answer = Decide(buffer.AsSpan(0, n), acceptedAt);
                }
            }
            catch (SocketException)
            {
                connection.Dispose(); // gone already
                continue;
            }
            if (answer is null)
            {
                if (!handed.Writer.TryWrite((connection, acceptedAt))) connection.Dispose();
                continue;
            }
            Interlocked.Increment(ref answered);
            try
            {
                // non-blocking: a fresh connection's send buffer takes a short answer whole; a client that cannot take it gets none
                connection.Blocking = false;
                connection.Send(answer);
            }
            catch (SocketException)
            {
                // the client went away
            }
            finally
            {
                // closing with request bytes unread resets the connection, after the answer (the client reads the answer first)
                connection.Dispose();
            }
        }
        handed.Writer.TryComplete();
    }

    // The triage's answer; a triage that throws (a bug) hands the connection to Kestrel instead of ending this thread,
    // which would stop the server accepting anything.
    private byte[]? Decide(ReadOnlySpan<byte> received, long acceptedAt)
    {
        try
        {
            return triage(received, acceptedAt);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref triageFailure, e, null);
            return null;
        }
    }

    /// <summary>The first exception the triage threw (null when none; the connection went to Kestrel).</summary>
    internal Exception? TriageFailure => Volatile.Read(ref triageFailure);

    private Exception? triageFailure;

    public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            while (await handed.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!handed.Reader.TryRead(out var item)) continue;
                var context = contexts.Create(item.Socket);
                context.Items[AcceptedItem] = item.AcceptedAt;
                return context;
            }
        }
        catch (OperationCanceledException)
        {
            // unbinding
        }
        return null;
    }

    public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        while (handed.Reader.TryRead(out var item)) item.Socket.Dispose();
        contexts.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Stop()
    {
        if (stopping) return;
        stopping = true;
        listen.Dispose();
        thread.Join(TimeSpan.FromSeconds(2));
        handed.Writer.TryComplete();
    }
}
