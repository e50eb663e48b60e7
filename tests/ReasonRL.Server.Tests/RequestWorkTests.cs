// RequestWork's retry key without the body: MayHold by path and length, and by the body's first bytes.
using Xunit;

namespace ReasonRL.Server.Tests;

public sealed class RequestWorkTests
{
    [Fact]
    public async Task MayHold_MatchesPathLengthAndTheBodysFirstBytes()
    {
        using var stopping = new CancellationTokenSource();
        using var work = new RequestWork(TimeSpan.FromSeconds(5), stopping.Token);
        var body = new byte[RequestWork.HeadBytes + 100];
        body[10] = 1;
        var gate = new TaskCompletionSource<Reply>();
        var (entry, joined) = work.JoinOrStart(RequestWork.Key("/get_reward", body), "/get_reward", body,
            admit: () => true, start: _ => gate.Task, release: _ => { });
        Assert.NotNull(entry);
        Assert.False(joined);

        Assert.True(work.MayHold("/get_reward", body.Length));
        Assert.True(work.MayHold("/get_reward", body.Length, body.AsSpan(0, RequestWork.HeadBytes)));
        Assert.True(work.MayHold("/get_reward", body.Length, body.AsSpan(0, 11)));
        var other = (byte[])body.Clone();
        other[10] = 2;
        Assert.False(work.MayHold("/get_reward", body.Length, other.AsSpan(0, RequestWork.HeadBytes)));   // another start
        other = (byte[])body.Clone();
        other[^1] = 2;
        Assert.True(work.MayHold("/get_reward", body.Length, other.AsSpan(0, RequestWork.HeadBytes)));    // differs after the head
        Assert.False(work.MayHold("/get_reward", body.Length + 1));                                        // another length
        Assert.False(work.MayHold("/v1/rewards", body.Length));                                            // another path

        gate.SetResult(new Reply(200, []));
        await entry.Task;
        work.Leave(entry);
    }
}
