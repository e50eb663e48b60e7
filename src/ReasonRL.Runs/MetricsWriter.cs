// MetricsWriter: one object per training step to <run>/metrics.jsonl ({"step":n,"wall_time":s,
// "<name>":value,...}, non-finite values written as null) and the same scalars to a TensorBoard
// tfevents file in <run>/tb/. The JSONL byte length after each step is the "metrics cursor" a
// checkpoint stores; on resume Open truncates the file back to that cursor (and fsyncs it) so no step
// appears twice, and rewrites the earlier event files (through AtomicFile) without the events of the
// steps it dropped — the last step left in the JSONL — and without a record torn by a kill; the resumed
// run's events then go to a new file beside them, and each step is in TensorBoard once. Both files are
// append-only logs: every step is flushed to the OS, and Sync (called before each checkpoint) fsyncs
// them so a checkpoint's cursor never points past what survives a power cut.
// What it is not: the computation of the metrics (trainer, HackingMonitor) — names are free-form;
// MetricNames lists the standard ones.
// References: issue 6 metrics list; TfEventsWriter.cs; issue 17 (steps twice after resume) and
// docs/conventions.md §21 (durable writes).
using ReasonRL.Core;
using ReasonRL.Training;
using System.Text.Json;

namespace ReasonRL.Runs;

/// <summary>Writes metrics to JSONL and tfevents.</summary>
public sealed class MetricsWriter : IDisposable
{
    private readonly FileStream jsonl;
    private readonly TfEventsWriter? tensorboard;

    private MetricsWriter(FileStream jsonl, TfEventsWriter? tensorboard)
    {
        this.jsonl = jsonl;
        this.tensorboard = tensorboard;
    }

    /// <summary>Opens (or creates) <c>metrics.jsonl</c> in <paramref name="runDirectory"/>, truncated to
    /// <paramref name="cursor"/> bytes when resuming, cuts the existing tfevents files under <c>tb/</c> back to
    /// the last step kept, and starts a new tfevents file there unless disabled.</summary>
    public static MetricsWriter Open(string runDirectory, long cursor = 0, bool tensorboard = true)
    {
        Directory.CreateDirectory(runDirectory);
        var path = Path.Combine(runDirectory, "metrics.jsonl");
        var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        if (cursor > fs.Length)
            throw new InvalidOperationException($"{path}: checkpoint metrics cursor {cursor} is past the end of the file ({fs.Length} bytes)");
        long lastStep = LastStep(fs, cursor, path);
        if (fs.Length != cursor)
        {
            fs.SetLength(cursor);
            fs.Flush(flushToDisk: true);
        }
        fs.Seek(cursor, SeekOrigin.Begin);
        string tb = Path.Combine(runDirectory, "tb");
        if (Directory.Exists(tb)) TruncateEvents(tb, lastStep);
        return new MetricsWriter(fs, tensorboard ? new TfEventsWriter(tb) : null);
    }

    /// <summary>The step of the last line in the first <paramref name="length"/> bytes (0 when there is none).</summary>
    private static long LastStep(FileStream fs, long length, string path)
    {
        if (length == 0) return 0;
        var bytes = new byte[length];
        fs.Seek(0, SeekOrigin.Begin);
        fs.ReadExactly(bytes);
        int end = bytes.Length - 1;   // the '\n' that ends the last kept line
        int start = Array.LastIndexOf(bytes, (byte)'\n', end - 1) + 1;
        try
        {
            using var line = JsonDocument.Parse(bytes.AsMemory(start, end - start));
            return line.RootElement.GetProperty("step").GetInt64();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path}: the line before the checkpoint's metrics cursor ({length} bytes) is not a metrics object with a \"step\": {e.Message}");
        }
    }

    /// <summary>Rewrites every event file in <paramref name="tb"/> that holds steps after <paramref name="lastStep"/>
    /// or a torn last record, keeping the records up to it; a file left with no scalar event is deleted.</summary>
    private static void TruncateEvents(string tb, long lastStep)
    {
        foreach (var file in Directory.GetFiles(tb, "*tfevents*"))
        {
            if (file.EndsWith(AtomicFile.TempSuffix, StringComparison.Ordinal)) continue;
            byte[] bytes = File.ReadAllBytes(file);
            var records = TfEventsReader.ReadRecords(file, bytes, tornTailAllowed: true);
            var kept = records.Where(r => r.Event.FileVersion is not null || r.Event.Step <= lastStep).ToList();
            int keptBytes = kept.Sum(r => r.Length);
            if (keptBytes == bytes.Length) continue;
            if (!kept.Any(r => r.Event.Scalars.Count > 0))
            {
                AtomicFile.Delete(file);
                continue;
            }
            AtomicFile.Write(file, stream =>
            {
                foreach (var (_, offset, length) in kept) stream.Write(bytes, offset, length);
            });
        }
    }

    /// <summary>Flushes metrics.jsonl and the event file to the device (before a checkpoint records the cursor).</summary>
    public void Sync()
    {
        jsonl.Flush(flushToDisk: true);
        tensorboard?.Sync();
    }

    /// <summary>Bytes of JSONL written so far (store it in the checkpoint).</summary>
    public long Cursor => jsonl.Position;

    /// <summary>Path of the tfevents file, or null.</summary>
    public string? EventsPath => tensorboard?.FilePath;

    /// <summary>Writes one step.</summary>
    public void Write(long step, IReadOnlyList<KeyValuePair<string, double>> metrics, DateTimeOffset? wallTime = null)
    {
        var now = wallTime ?? DateTimeOffset.UtcNow;
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("step", step);
            w.WriteNumber("wall_time", now.ToUnixTimeMilliseconds() / 1000.0);
            foreach (var (name, value) in metrics)
            {
                if (double.IsFinite(value)) w.WriteNumber(name, value);
                else w.WriteNull(name);
            }
            w.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        jsonl.Write(buffer.GetBuffer(), 0, (int)buffer.Length);
        jsonl.Flush();
        tensorboard?.WriteScalars(step, metrics.Where(m => double.IsFinite(m.Value)), now);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        jsonl.Dispose();
        tensorboard?.Dispose();
    }
}
