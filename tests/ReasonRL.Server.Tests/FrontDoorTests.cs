// FrontDoor on its own, without Kestrel: what its triage answers is sent and the connection closed; every other connection
// is handed over untouched (nothing consumed); a triage that throws hands the connection over instead of ending the
// accept thread. Connections are made while accepting is held, so their bytes are in when they are accepted.
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace ReasonRL.Server.Tests;

public sealed class FrontDoorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static FrontDoor Bind(FrontDoorTriage triage) =>
        FrontDoor.Bind(new IPEndPoint(IPAddress.Loopback, 0), 64, triage, new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), NullLogger.Instance));

    private static async Task<Socket> ConnectWhileHeldAsync(FrontDoor door, string text)
    {
        door.Hold(true);
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync((IPEndPoint)door.EndPoint);
        await socket.SendAsync(Encoding.ASCII.GetBytes(text));
        door.Hold(false);
        return socket;
    }

    [Fact]
    public async Task AnAnswerFromTheTriage_IsSentAndTheConnectionClosed_AndNotHandedOver()
    {
        string? seen = null;
        await using var door = Bind((received, _) =>
        {
            seen = Encoding.ASCII.GetString(received);
            return Encoding.ASCII.GetBytes("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        });
        using var socket = await ConnectWhileHeldAsync(door, "POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello");

        // closed with request bytes unread: a reset, after the answer (read as the end)
        var answer = await AdmissionTests.ReadUntilClosedAsync(buffer => socket.ReceiveAsync(buffer)).WaitAsync(Timeout);
        Assert.Equal("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", answer);
        Assert.Equal("POST /x HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello", seen); // everything that was in, as it was
        Assert.Equal(1, door.Answered);
        using var none = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        Assert.Null(await door.AcceptAsync(none.Token)); // nothing was handed over
    }

    [Fact]
    public async Task AConnectionTheTriageLeaves_IsHandedOverWithNothingConsumed()
    {
        await using var door = Bind((_, _) => null);
        using var socket = await ConnectWhileHeldAsync(door, "GET /health HTTP/1.1\r\n\r\n");

        await using var connection = await door.AcceptAsync().AsTask().WaitAsync(Timeout);
        Assert.NotNull(connection);
        Assert.IsType<long>(connection.Items[FrontDoor.AcceptedItem]);
        var read = await connection.Transport.Input.ReadAsync().AsTask().WaitAsync(Timeout);
        Assert.Equal("GET /health HTTP/1.1\r\n\r\n", Encoding.ASCII.GetString(System.Buffers.BuffersExtensions.ToArray(read.Buffer)));
        connection.Transport.Input.AdvanceTo(read.Buffer.End);
        Assert.Equal(0, door.Answered);
    }

    [Fact]
    public async Task ATriageThatThrows_HandsTheConnectionOver_AndTheDoorKeepsAccepting()
    {
        await using var door = Bind((_, _) => throw new InvalidOperationException("a bug"));
        using var first = await ConnectWhileHeldAsync(door, "POST /a HTTP/1.1\r\n\r\n");
        await using var a = await door.AcceptAsync().AsTask().WaitAsync(Timeout);
        using var second = await ConnectWhileHeldAsync(door, "POST /b HTTP/1.1\r\n\r\n");
        await using var b = await door.AcceptAsync().AsTask().WaitAsync(Timeout);

        Assert.NotNull(a);
        Assert.NotNull(b);
        Assert.Equal("a bug", door.TriageFailure?.Message);
    }
}
