// KernelTcp: the accept queue of a listening socket and the ListenOverflows counter, parsed from /proc texts (fixed
// samples in the kernel's format) and, on Linux, read live from a listener whose connections are never accepted.
using ReasonRL.Benchmarks;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace ReasonRL.Benchmarks.Tests;

public sealed class KernelTcpTests
{
    private const string ProcNetTcp =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
        "   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1277 1 0 100 0 0 10 0\n" +
        "   1: 0100007F:A63B 00000000:0000 0A 00000000:00000ABC 00:00000000 00000000     0        0 9999 1 0 100 0 0 10 0\n" +
        "   2: 0100007F:A63B 0100007F:C350 01 00000000:00000005 00:00000000 00000000     0        0 9998 1 0 20 4 30 10 -1\n";

    [Fact]
    public void AcceptQueue_IsTheRxQueueOfTheListeningSocketOnThePort()
    {
        Assert.Equal(0xABC, KernelTcp.AcceptQueue(ProcNetTcp, 0xA63B)); // the established row on the same port is not it
        Assert.Equal(0, KernelTcp.AcceptQueue(ProcNetTcp, 2024));
        Assert.Null(KernelTcp.AcceptQueue(ProcNetTcp, 8000));
    }

    [Fact]
    public void ListenOverflows_IsReadByName()
    {
        const string netstat = "TcpExt: SyncookiesSent ListenOverflows ListenDrops\nTcpExt: 3 28372 28372\nIpExt: InNoRoutes\nIpExt: 0\n";
        Assert.Equal(28372, KernelTcp.ListenOverflows(netstat));
        Assert.Null(KernelTcp.ListenOverflows("IpExt: InNoRoutes\nIpExt: 0\n"));
    }

    [Fact]
    public async Task AcceptQueue_CountsConnectionsTheServerHasNotAccepted_OnLinux()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(16);
        var port = ((IPEndPoint)listener.LocalEndPoint!).Port;
        var clients = new List<Socket>();
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var c = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                clients.Add(c);
                await c.ConnectAsync(IPAddress.Loopback, port);
            }
            if (!OperatingSystem.IsLinux())
            {
                Assert.Null(KernelTcp.AcceptQueue(port));
                return;
            }
            Assert.Equal(3, KernelTcp.AcceptQueue(port));
            using (listener.Accept()) Assert.Equal(2, KernelTcp.AcceptQueue(port));
            Assert.NotNull(KernelTcp.ListenOverflows());
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }
}
