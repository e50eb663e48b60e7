// RequestHead: the head of an HTTP/1.x request (request line and header fields), read from the bytes a connection has
// received so far, for FrontDoor's decision to refuse a request before Kestrel takes its connection. Deliberately
// narrow: it reads only what that decision needs (method, target, Content-Length, Transfer-Encoding, Authorization,
// Expect) and says "not understood" (TryParse false) for anything else — an incomplete head, bare LF line ends, folded
// or malformed fields, a repeated Content-Length, an HTTP version other than 1.0/1.1 — so such requests go to Kestrel,
// whose parser answers them as it always has. Not a general HTTP parser; no allocation beyond the strings it returns.
using System.Text;

namespace ReasonRL.Server;

public sealed record RequestHead(string Method, string Target, long? ContentLength, bool Chunked, string? Authorization, bool ExpectContinue, int Length)
{
    /// <summary>Parses the head at the start of <paramref name="data"/>; false when the head is not complete in it or is not
    /// plain HTTP/1.0 or 1.1 as this reader understands it. <see cref="Length"/> counts the head's bytes, its final empty
    /// line included, so the body starts there.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out RequestHead? head)
    {
        head = null;
        var end = data.IndexOf("\r\n\r\n"u8);
        if (end < 0) return false;
        var rest = data[..(end + 2)]; // every line with its CRLF
        var lineEnd = rest.IndexOf("\r\n"u8);
        var requestLine = rest[..lineEnd];
        rest = rest[(lineEnd + 2)..];
        // request line: METHOD SP target SP HTTP/1.x
        var firstSpace = requestLine.IndexOf((byte)' ');
        var lastSpace = requestLine.LastIndexOf((byte)' ');
        if (firstSpace <= 0 || lastSpace <= firstSpace + 1) return false;
        var version = requestLine[(lastSpace + 1)..];
        if (!version.SequenceEqual("HTTP/1.1"u8) && !version.SequenceEqual("HTTP/1.0"u8)) return false;
        var method = requestLine[..firstSpace];
        var target = requestLine[(firstSpace + 1)..lastSpace];
        if (!IsToken(method) || target.IndexOfAnyInRange((byte)0, (byte)' ') >= 0 || target.Contains((byte)0x7f)) return false;
        long? contentLength = null;
        var chunked = false;
        var expectContinue = false;
        string? authorization = null;
        while (!rest.IsEmpty)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            var line = rest[..lineEnd];
            rest = rest[(lineEnd + 2)..];
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsToken(line[..colon])) return false; // also a folded line (starts with a space)
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (value.IndexOfAnyInRange((byte)0, (byte)0x08) >= 0 || value.IndexOfAnyInRange((byte)0x0a, (byte)0x1f) >= 0 || value.Contains((byte)0x7f)) return false;
            if (Ascii.EqualsIgnoreCase(name, "Content-Length"u8))
            {
                if (contentLength is not null || !TryDigits(value, out var n)) return false;
                contentLength = n;
            }
            else if (Ascii.EqualsIgnoreCase(name, "Transfer-Encoding"u8))
            {
                chunked = true; // any transfer coding: Kestrel's to handle
            }
            else if (Ascii.EqualsIgnoreCase(name, "Authorization"u8))
            {
                if (authorization is not null) return false;
                authorization = Encoding.ASCII.GetString(value);
            }
            else if (Ascii.EqualsIgnoreCase(name, "Expect"u8))
            {
                expectContinue = true;
            }
        }
        head = new RequestHead(Encoding.ASCII.GetString(method), Encoding.ASCII.GetString(target), contentLength, chunked, authorization, expectContinue, end + 4);
        return true;
    }

    // RFC 9110 token characters
    private static bool IsToken(ReadOnlySpan<byte> s)
    {
        if (s.IsEmpty) return false;
        foreach (var b in s)
        {
            var ok = b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
                || "!#$%&'*+-.^_`|~"u8.Contains(b);
            if (!ok) return false;
        }
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        if (s.IsEmpty || s.Length > 18) return false;
        foreach (var b in s)
        {
            if (b is < (byte)'0' or > (byte)'9') return false;
            value = value * 10 + (b - '0');
        }
        return true;
    }
}
