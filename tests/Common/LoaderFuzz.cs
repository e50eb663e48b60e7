// LoaderFuzz: the seeded mutation fuzzer behind the loader fuzz tests (issue 17). From one valid
// seed file it makes mutants — truncations, bit flips, hostile bytes, hostile integers at aligned
// offsets (binary) or hostile number literals (JSON), chunk insertions, deletions and duplications —
// hands each to a loader, and sorts the outcome: accepted, refused with the loader's typed exception
// (whose message must name the file), or anything else (an untyped exception: a failure). It
// records, per case, the bytes the loader allocated on this thread (GC.GetAllocatedBytesForCurrentThread),
// the largest of them, the process's peak working set and the elapsed time. Deterministic: case i
// of seed s is the same mutant on every machine.
using System.Diagnostics;
using System.Text;

namespace ReasonRL.Tests;

/// <summary>Outcome of a fuzz run over one file type.</summary>
public sealed record LoaderFuzzReport(string Kind, int Cases, int Accepted, int Refused, IReadOnlyList<string> Untyped,
    long MaxCaseAllocatedBytes, long PeakWorkingSetBytes, TimeSpan Elapsed)
{
    /// <summary>One line for the test output and the closing note.</summary>
    public override string ToString() =>
        $"{Kind}: {Cases} cases in {Elapsed.TotalSeconds:F1} s: {Accepted} accepted, {Refused} refused with a typed error, " +
        $"{Untyped.Count} untyped exceptions (the process survived every case); max allocated by one case {MaxCaseAllocatedBytes / 1048576.0:F1} MiB, " +
        $"process peak working set {PeakWorkingSetBytes / 1048576.0:F0} MiB";

    /// <summary>Logs the report and its first untyped exceptions, then asserts: every case accounted for,
    /// no untyped exception, at least a tenth refused (the mutations reach the validation), no case
    /// allocating <paramref name="maxCaseBytes"/> or more, and the run within <paramref name="maxTime"/>.</summary>
    public void AssertClean(long maxCaseBytes, TimeSpan maxTime, Action<string> log)
    {
        log(ToString());
        foreach (string u in Untyped.Take(20)) log(u);
        Assert.Equal(Cases, Accepted + Refused + Untyped.Count);
        Assert.True(Untyped.Count == 0, $"{Untyped.Count} untyped exceptions:\n{string.Join('\n', Untyped.Take(20))}");
        Assert.True(Refused > Cases / 10, $"only {Refused} mutants were refused: the mutations do not reach the validation");
        Assert.True(MaxCaseAllocatedBytes < maxCaseBytes, ToString());
        Assert.True(Elapsed < maxTime, ToString());
    }
}

/// <summary>Seeded mutation fuzzing of a file loader.</summary>
public static class LoaderFuzz
{
    private static readonly byte[] HostileBytes = [0x00, 0xFF, 0x7F, 0x80, (byte)'-', (byte)'9', (byte)'{', (byte)'[', (byte)'"', (byte)'\\', 0xC3];

    private static readonly ulong[] HostileIntegers =
        [0, 1, 0x7F, 0xFF, 0x7FFF_FFFF, 0x8000_0000, 0xFFFF_FFFF, 0x1_0000_0000, 2_000_000_000, long.MaxValue, ulong.MaxValue, 8, 9, 12];

    private static readonly string[] HostileNumbers =
        ["-1", "0", "2000000000", "-2147483649", "99999999999999999999", "1e308", "-1e308", "1.5", "NaN", "\"1\"", "[]", "{}", "null", "true"];

    /// <summary>Mutant <paramref name="index"/> of <paramref name="seedFile"/> under <paramref name="seed"/>.</summary>
    /// <param name="text">The file is JSON: also replace number literals with hostile values.</param>
    /// <param name="focusBytes">When &gt; 0, most mutations land in the first focusBytes (e.g. a safetensors header).</param>
    public static byte[] Mutant(byte[] seedFile, int seed, int index, bool text, int focusBytes = 0)
    {
        var rng = new Random(unchecked(seed * 1_000_003 + index));   // not HashCode.Combine: it is randomised per process
        byte[] data = (byte[])seedFile.Clone();
        int rounds = 1 + rng.Next(3);
        for (int r = 0; r < rounds && data.Length > 0; r++)
        {
            int limit = focusBytes > 0 && rng.Next(5) > 0 ? Math.Min(focusBytes, data.Length) : data.Length;
            int at = rng.Next(limit);
            switch (rng.Next(text ? 8 : 7))
            {
                case 0: // truncate
                    return data[..rng.Next(data.Length)];
                case 1: // flip bits
                    data[at] ^= (byte)(1 << rng.Next(8));
                    break;
                case 2: // a hostile byte
                    data[at] = HostileBytes[rng.Next(HostileBytes.Length)];
                    break;
                case 3: // a hostile little-endian integer, 4 or 8 bytes wide, at an aligned offset
                    {
                        int width = rng.Next(2) == 0 ? 4 : 8;
                        int aligned = at / width * width;
                        ulong v = HostileIntegers[rng.Next(HostileIntegers.Length)];
                        for (int b = 0; b < width && aligned + b < data.Length; b++) data[aligned + b] = (byte)(v >> (8 * b));
                        break;
                    }
                case 4: // insert random bytes
                    {
                        var chunk = new byte[1 + rng.Next(16)];
                        rng.NextBytes(chunk);
                        data = [.. data[..at], .. chunk, .. data[at..]];
                        break;
                    }
                case 5: // delete a chunk
                    data = [.. data[..at], .. data[Math.Min(data.Length, at + 1 + rng.Next(64))..]];
                    break;
                case 6: // duplicate a chunk
                    {
                        int end = Math.Min(data.Length, at + 1 + rng.Next(64));
                        data = [.. data[..end], .. data[at..end], .. data[end..]];
                        break;
                    }
                default: // JSON: replace the number literal nearest after `at` with a hostile value
                    data = ReplaceNumber(data, at, HostileNumbers[rng.Next(HostileNumbers.Length)]);
                    break;
            }
        }
        return data;
    }

    /// <summary>Runs <paramref name="cases"/> mutants through <paramref name="load"/>. An exception
    /// <paramref name="isTyped"/> accepts counts as refused (its message must contain
    /// <paramref name="fileName"/>); any other exception is recorded as untyped.</summary>
    public static LoaderFuzzReport Run(string kind, byte[] seedFile, int cases, int seed, bool text, int focusBytes,
        string fileName, Action<byte[]> load, Func<Exception, bool> isTyped)
    {
        var clock = Stopwatch.StartNew();
        int accepted = 0, refused = 0;
        long maxAllocated = 0;
        var untyped = new List<string>();
        for (int i = 0; i < cases; i++)
        {
            byte[] mutant = Mutant(seedFile, seed, i, text, focusBytes);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                load(mutant);
                accepted++;
            }
            catch (Exception e) when (isTyped(e) && e.Message.Contains(fileName, StringComparison.Ordinal))
            {
                refused++;
            }
            catch (Exception e)
            {
                untyped.Add($"case {i}: {e.GetType().FullName}: {e.Message.Split('\n')[0]}");
            }
            maxAllocated = Math.Max(maxAllocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        using var process = Process.GetCurrentProcess();
        return new LoaderFuzzReport(kind, cases, accepted, refused, untyped, maxAllocated, process.PeakWorkingSet64, clock.Elapsed);
    }

    private static byte[] ReplaceNumber(byte[] data, int from, string replacement)
    {
        int start = -1;
        for (int i = from; i < data.Length; i++)
        {
            if (data[i] is (byte)'-' or >= (byte)'0' and <= (byte)'9' && (i == 0 || data[i - 1] is (byte)':' or (byte)' ' or (byte)'[' or (byte)','))
            {
                start = i;
                break;
            }
        }
        if (start < 0) return data;
        int end = start + 1;
        while (end < data.Length && data[end] is (byte)'-' or (byte)'+' or (byte)'.' or (byte)'e' or (byte)'E' or >= (byte)'0' and <= (byte)'9') end++;
        return [.. data[..start], .. Encoding.ASCII.GetBytes(replacement), .. data[end..]];
    }
}
