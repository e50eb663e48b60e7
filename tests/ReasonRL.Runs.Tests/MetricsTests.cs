// Tests for Crc32C (RFC 3720 vectors), the tfevents writer (decoded back with checked CRCs and a
// hand-built expected protobuf), MetricsWriter (JSONL + cursor truncation on resume) and HackingMonitor.
// No python tensorboard/tensorflow is installed on this machine, so no external reader check.
using ReasonRL.Training;
using System.Text;
using System.Text.Json;
using Xunit;

namespace ReasonRL.Runs.Tests;

public sealed class MetricsTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "rrl-metrics-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
    }

    [Fact]
    public void Crc32C_KnownVectors()
    {
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        uint c = 0xE3069283u;
        Assert.Equal(unchecked(((c >> 15) | (c << 17)) + 0xA282EAD8u), Crc32C.Masked(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void EventEncoding_MatchesHandBuiltProtobuf()
    {
        var bytes = TfEventsWriter.EncodeEvent(1.5, 300, null, [new("a", 2.0)]);
        // 09 <double 1.5> 10 AC 02 2A 0A 0A 08 0A 01 'a' 15 <float 2.0>
        byte[] expected = [0x09, 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0x10, 0xAC, 0x02, 0x2A, 0x0A, 0x0A, 0x08, 0x0A, 0x01, (byte)'a', 0x15, 0, 0, 0, 0x40];
        Assert.Equal(expected, bytes);
    }

    [Fact]
    public void TfEvents_RoundTrip()
    {
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        string path;
        using (var w = new TfEventsWriter(dir, t0, "testhost"))
        {
            path = w.FilePath;
            w.WriteScalars(1, [new("reward/success", 0.25), new("policy/kl", 0.01)], t0);
            w.WriteScalars(2, [new("reward/success", 0.5)], t0.AddSeconds(1));
        }
        Assert.Equal("events.out.tfevents.1700000000.testhost", Path.GetFileName(path));
        using (var second = new TfEventsWriter(dir, t0, "testhost"))
            Assert.Equal("events.out.tfevents.1700000000.testhost.1", Path.GetFileName(second.FilePath));
        var events = TfEventsReader.Read(path);
        Assert.Equal(3, events.Count);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal(1_700_000_000.0, events[0].WallTime);
        Assert.Equal(1, events[1].Step);
        Assert.Equal([("reward/success", 0.25f), ("policy/kl", 0.01f)], events[1].Scalars);
        Assert.Equal(2, events[2].Step);
        Assert.Equal(1_700_000_001.0, events[2].WallTime);

        var raw = File.ReadAllBytes(path);
        raw[^3] ^= 1;
        File.WriteAllBytes(path, raw);
        Assert.Contains("bad data CRC", Assert.Throws<InvalidDataException>(() => TfEventsReader.Read(path)).Message);
    }

    [Fact]
    public void Metrics_JsonlAndResumeTruncatesToCursor()
    {
        long cursor;
        using (var m = MetricsWriter.Open(dir))
        {
            m.Write(1, [new(MetricNames.SuccessReward, 0.5), new(MetricNames.Kl, double.NaN)]);
            cursor = m.Cursor;
            m.Write(2, [new(MetricNames.SuccessReward, 0.75)]);   // written after the checkpoint: must vanish on resume
        }
        using (var m = MetricsWriter.Open(dir, cursor, tensorboard: false))
            m.Write(2, [new(MetricNames.SuccessReward, 0.625)]);
        var lines = File.ReadAllLines(Path.Combine(dir, "metrics.jsonl"));
        Assert.Equal(2, lines.Length);
        using var first = JsonDocument.Parse(lines[0]);
        Assert.Equal(1, first.RootElement.GetProperty("step").GetInt64());
        Assert.Equal(JsonValueKind.Null, first.RootElement.GetProperty("policy/kl").ValueKind);
        using var second = JsonDocument.Parse(lines[1]);
        Assert.Equal(0.625, second.RootElement.GetProperty("reward/success").GetDouble());
        var tb = Directory.GetFiles(Path.Combine(dir, "tb"));
        Assert.Single(tb);
        var ev = TfEventsReader.Read(tb[0]);
        Assert.Equal([("reward/success", 0.5f)], ev[1].Scalars);   // NaN KL left out of TensorBoard
    }

    [Fact]
    public void Resume_keeps_each_step_once_in_TensorBoard()
    {
        // A run checkpoints after step 2, writes steps 3 and 4, and is killed (the last event record torn
        // half-way); the resumed writer starts from the step-2 cursor and writes steps 3..5 again.
        var t0 = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        long cursor;
        string firstFile;
        using (var m = MetricsWriter.Open(dir))
        {
            for (int step = 1; step <= 2; step++) m.Write(step, [new(MetricNames.SuccessReward, step)], t0.AddSeconds(step));
            cursor = m.Cursor;
            for (int step = 3; step <= 4; step++) m.Write(step, [new(MetricNames.SuccessReward, 10 + step)], t0.AddSeconds(step));
            firstFile = m.EventsPath!;
        }
        using (var torn = new FileStream(firstFile, FileMode.Append))
            torn.Write(new byte[] { 0x20, 0, 0, 0, 0, 0, 0, 0, 1, 2 });   // a record header cut off by the kill
        using (var m = MetricsWriter.Open(dir, cursor))
            for (int step = 3; step <= 5; step++) m.Write(step, [new(MetricNames.SuccessReward, 100 + step)], t0.AddSeconds(10 + step));

        var scalarEvents = Directory.GetFiles(Path.Combine(dir, "tb")).SelectMany(TfEventsReader.Read).Where(e => e.Scalars.Count > 0).ToList();
        Assert.Equal([1L, 2, 3, 4, 5], scalarEvents.Select(e => e.Step).Order());
        Assert.Equal([1f, 2f, 103f, 104f, 105f], scalarEvents.OrderBy(e => e.Step).Select(e => e.Scalars[0].Value));
        var jsonlSteps = File.ReadAllLines(Path.Combine(dir, "metrics.jsonl")).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("step").GetInt64());
        Assert.Equal([1L, 2, 3, 4, 5], jsonlSteps);
    }

    [Fact]
    public void Hacking_WarnsOnlyWhenLearnedRisesAndSuccessFalls()
    {
        var m = new HackingMonitor(windowSize: 5, slopeThreshold: 0.01);
        HackingReport r = null!;
        for (int i = 0; i < 5; i++) r = m.Add(1.0 + 0.1 * i, 0.6 - 0.05 * i);
        Assert.True(r.Warning);
        Assert.Equal(0.1, r.LearnedSlope, 12);
        Assert.Equal(-0.05, r.SuccessSlope, 12);
        Assert.Equal(-1.0, r.TrendCorrelation, 12);

        var healthy = new HackingMonitor(5, 0.01);
        for (int i = 0; i < 10; i++) r = healthy.Add(1.0 + 0.1 * i, 0.3 + 0.05 * i);
        Assert.False(r.Warning);
        Assert.Equal(1.0, r.TrendCorrelation, 12);

        var early = new HackingMonitor(5, 0.01);
        for (int i = 0; i < 4; i++) r = early.Add(1.0 + 0.1 * i, 0.6 - 0.05 * i);
        Assert.False(r.Warning); // window not yet full
    }

    [Fact]
    public void Hacking_WindowForgetsOldSteps()
    {
        var m = new HackingMonitor(3, 0.0);
        m.Add(0, 0); m.Add(1, -1); m.Add(2, -2);            // hacking shape
        var r = m.Add(2, -1); r = m.Add(2, 0);              // window now [2,2,2] / [-2,-1,0]
        Assert.Equal(0.0, r.LearnedSlope, 12);
        Assert.False(r.Warning);
    }

    [Fact]
    public void Pearson_PerSampleCorrelation()
    {
        Assert.Equal(1.0, HackingMonitor.Pearson([1, 2, 3], [0, 0.5, 1]), 12);
        Assert.True(double.IsNaN(HackingMonitor.Pearson([1, 2, 3], [1, 1, 1])));
        // learned [0.9,0.8,0.2,0.1] vs success [1,1,0,0]: hand-computed r = 0.7/ sqrt(0.5·1)=0.98995
        Assert.Equal(0.7 / Math.Sqrt(0.5), HackingMonitor.Pearson([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0]), 12);
    }
}
