// MetricsWriter: one object per training step to <run>/metrics.jsonl ({"step":n,"wall_time":s,
// "<name>":value,...}, non-finite values written as null) and the same scalars to a TensorBoard
// tfevents file in <run>/tb/. The JSONL byte length after each step is the "metrics cursor" a
// checkpoint stores; on resume Open truncates the file back to that cursor so no step appears twice.
// What it is not: the computation of the metrics (trainer, HackingMonitor) — names are free-form;
// MetricNames lists the standard ones.
// Reference: issue 6 metrics list; TfEventsWriter.cs.
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
    /// <paramref name="cursor"/> bytes when resuming, and starts a new tfevents file under <c>tb/</c> unless disabled.</summary>
    public static MetricsWriter Open(string runDirectory, long cursor = 0, bool tensorboard = true)
    {
        Directory.CreateDirectory(runDirectory);
        var path = Path.Combine(runDirectory, "metrics.jsonl");
        var fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.Read);
        if (cursor > fs.Length)
            throw new InvalidOperationException($"{path}: checkpoint metrics cursor {cursor} is past the end of the file ({fs.Length} bytes)");
        fs.SetLength(cursor);
        fs.Seek(cursor, SeekOrigin.Begin);
        return new MetricsWriter(fs, tensorboard ? new TfEventsWriter(Path.Combine(runDirectory, "tb")) : null);
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
