// ServeProcess against a stand-in child (a shell that prints serve's "listening on" line and one request log line,
// then waits): the address is taken from stdout, the request is parsed from stderr as the server logged it, and the
// memory figures are the child's own, from /proc (Linux only, as the bench's).
using ReasonRL.Benchmarks;
using Xunit;

namespace ReasonRL.Benchmarks.Tests;

public sealed class ServeProcessTests
{
    [Fact]
    public async Task StandIn_AddressLogAndOwnMemory()
    {
        if (!OperatingSystem.IsLinux()) return; // /proc and /bin/sh: the figures exist on Linux only
        const string script = "echo 'reasonrl serve: listening on http://127.0.0.1:45678 (success reward); token=off'; " +
            "echo 'ts=2026-12-07T01:02:03.004Z level=warn method=POST path=/get_reward status=503 ms=12.5 samples=512 kind=overloaded msg=\"server overloaded\"' >&2; " +
            "echo 'ts=2026-12-07T01:02:03.005Z level=info method=GET path=/metrics status=200 ms=0.4' >&2; exec sleep 30";
        await using var child = await ServeProcess.StartAsync("/bin/sh", ["-c", script], TimeSpan.FromSeconds(30));
        Assert.Equal(new Uri("http://127.0.0.1:45678"), child.Address);
        var until = System.Diagnostics.Stopwatch.StartNew();
        while (child.Requests("/get_reward").Count == 0 && until.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10);
        var request = Assert.Single(child.Requests("/get_reward"));
        Assert.Equal((503, 12.5, "overloaded"), (request.Status, request.Milliseconds, request.Kind));
        Assert.Equal(512, request.Samples);
        Assert.EndsWith("msg=\"server overloaded\"", request.Line); // the whole line, its message too
        Assert.Equal(200, Assert.Single(child.Requests("/metrics")).Status);
        var (rss, peak) = child.Memory();
        Assert.InRange(rss, 1, peak); // the stand-in's own: a few MiB, and never above its peak
        Assert.True(peak < Environment.WorkingSet, $"the child's peak RSS {peak} should be its own, below this test process's {Environment.WorkingSet}");
    }
}
