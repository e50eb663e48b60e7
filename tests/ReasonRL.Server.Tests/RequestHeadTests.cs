// RequestHead: the front door reads only plain HTTP/1.x heads it fully understands; anything else goes to Kestrel.
using System.Text;
using Xunit;

namespace ReasonRL.Server.Tests;

public sealed class RequestHeadTests
{
    private static bool Parse(string text, out RequestHead? head) => RequestHead.TryParse(Encoding.ASCII.GetBytes(text), out head);

    [Fact]
    public void AnOpenRlhfLikeHead_GivesMethodTargetLengthAndWhereTheBodyStarts()
    {
        const string head = "POST /get_reward HTTP/1.1\r\nHost: 127.0.0.1:8000\r\nUser-Agent: python-requests/2.31.0\r\n" +
            "Accept-Encoding: gzip, deflate\r\nAccept: */*\r\nConnection: keep-alive\r\ncontent-length: 1234\r\n" +
            "Content-Type: application/json\r\nAuthorization:  Bearer s3cret \r\n\r\n";
        Assert.True(Parse(head + "{\"query\":", out var parsed));
        Assert.Equal("POST", parsed!.Method);
        Assert.Equal("/get_reward", parsed.Target);
        Assert.Equal(1234, parsed.ContentLength);
        Assert.Equal("Bearer s3cret", parsed.Authorization);
        Assert.False(parsed.Chunked);
        Assert.False(parsed.ExpectContinue);
        Assert.Equal(head.Length, parsed.Length);
    }

    [Fact]
    public void ChunkedAndExpectContinue_AreReported()
    {
        Assert.True(Parse("POST /v1/rewards HTTP/1.1\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n", out var parsed));
        Assert.Null(parsed!.ContentLength);
        Assert.True(parsed.Chunked);
        Assert.True(parsed.ExpectContinue);
    }

    [Theory]
    [InlineData("POST /get_reward HTTP/1.1\r\nContent-Length: 5\r\n")]                              // incomplete
    [InlineData("POST /get_reward HTTP/1.1\nContent-Length: 5\n\n")]                                // bare LF
    [InlineData("POST /get_reward HTTP/2.0\r\nContent-Length: 5\r\n\r\n")]                          // not HTTP/1.x
    [InlineData("POST /get_reward\r\nContent-Length: 5\r\n\r\n")]                                   // no version
    [InlineData("POST /get_reward HTTP/1.1\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\n")]     // repeated length
    [InlineData("POST /get_reward HTTP/1.1\r\nContent-Length: -5\r\n\r\n")]                         // not digits
    [InlineData("POST /get_reward HTTP/1.1\r\nContent-Length: 1234567890123456789\r\n\r\n")]        // too long
    [InlineData("POST /get_reward HTTP/1.1\r\nX-A: 1\r\n folded\r\n\r\n")]                          // folded field
    [InlineData("POST /get_reward HTTP/1.1\r\nBad Name: 1\r\n\r\n")]                                // space in a name
    [InlineData("PO(ST /get_reward HTTP/1.1\r\n\r\n")]                                               // method not a token
    [InlineData("POST /get reward HTTP/1.1\r\n\r\n")]                                                // space in the target
    public void AHeadItDoesNotFullyUnderstand_IsNotParsed(string text) => Assert.False(Parse(text, out _));
}
