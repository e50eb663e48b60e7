// TfEventsWriter: TensorBoard event files written from scratch. Each record is TFRecord-framed
// (uint64 LE length, uint32 LE masked CRC-32C of the 8 length bytes, data, uint32 LE masked CRC-32C
// of data); data is a hand-encoded tensorflow.Event protobuf:
//   Event   { double wall_time = 1; int64 step = 2; string file_version = 3; Summary summary = 5; }
//   Summary { repeated Value value = 1; }   Value { string tag = 1; float simple_value = 2; }
// The first record carries file_version "brain.Event:2". File name events.out.tfevents.<unix s>.<host>.
// What it is not: a general protobuf library; only scalars are written. TfEventsReader decodes them back.
// Reference: tensorflow/core/util/event.proto, summary.proto; tensorflow/core/lib/io/record_writer.cc
// (format read from docs/protos, no code copied).
using ReasonRL.Training;
using System.Buffers.Binary;
using System.Text;

namespace ReasonRL.Runs;

/// <summary>Appends scalar summaries to a tfevents file.</summary>
public sealed class TfEventsWriter : IDisposable
{
    private readonly FileStream stream;

    /// <summary>Creates <c>events.out.tfevents.&lt;time&gt;.&lt;host&gt;</c> in <paramref name="directory"/> and writes the version record.</summary>
    public TfEventsWriter(string directory, DateTimeOffset? now = null, string? host = null)
    {
        Directory.CreateDirectory(directory);
        var time = now ?? DateTimeOffset.UtcNow;
        host ??= Environment.MachineName;
        // A second writer in the same second (e.g. a quick resume) gets a ".1", ".2", … suffix;
        // TensorBoard picks up any file whose name contains "tfevents".
        string basePath = Path.Combine(directory, $"events.out.tfevents.{time.ToUnixTimeSeconds()}.{host}");
        FilePath = basePath;
        for (int n = 1; File.Exists(FilePath); n++) FilePath = basePath + "." + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
        stream = new FileStream(FilePath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        WriteRecord(EncodeEvent(time.ToUnixTimeMilliseconds() / 1000.0, 0, "brain.Event:2", null));
    }

    /// <summary>Path of the event file.</summary>
    public string FilePath { get; }

    /// <summary>Writes one Event with all <paramref name="scalars"/> at <paramref name="step"/> and flushes.</summary>
    public void WriteScalars(long step, IEnumerable<KeyValuePair<string, double>> scalars, DateTimeOffset? wallTime = null)
    {
        double wt = (wallTime ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds() / 1000.0;
        WriteRecord(EncodeEvent(wt, step, null, scalars));
        stream.Flush();
    }

    /// <summary>Flushes the file to the device (fsync).</summary>
    public void Sync() => stream.Flush(flushToDisk: true);

    private void WriteRecord(byte[] data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32C.Masked(header[..8]));
        stream.Write(header);
        stream.Write(data);
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, Crc32C.Masked(data));
        stream.Write(footer);
    }

    /// <summary>Encodes a tensorflow.Event message.</summary>
    internal static byte[] EncodeEvent(double wallTime, long step, string? fileVersion, IEnumerable<KeyValuePair<string, double>>? scalars)
    {
        var ms = new MemoryStream();
        ms.WriteByte(0x09); // field 1, fixed64
        Span<byte> b8 = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(b8, wallTime);
        ms.Write(b8);
        ms.WriteByte(0x10); // field 2, varint
        WriteVarint(ms, (ulong)step);
        if (fileVersion is not null)
        {
            ms.WriteByte(0x1A); // field 3, length-delimited
            WriteBytes(ms, Encoding.UTF8.GetBytes(fileVersion));
        }
        if (scalars is not null)
        {
            var summary = new MemoryStream();
            Span<byte> b4 = stackalloc byte[4];
            foreach (var (tag, value) in scalars)
            {
                var v = new MemoryStream();
                v.WriteByte(0x0A); // Value.tag = 1
                WriteBytes(v, Encoding.UTF8.GetBytes(tag));
                v.WriteByte(0x15); // Value.simple_value = 2, fixed32
                BinaryPrimitives.WriteSingleLittleEndian(b4, (float)value);
                v.Write(b4);
                summary.WriteByte(0x0A); // Summary.value = 1
                WriteBytes(summary, v.ToArray());
            }
            ms.WriteByte(0x2A); // Event.summary = 5
            WriteBytes(ms, summary.ToArray());
        }
        return ms.ToArray();
    }

    private static void WriteBytes(Stream s, byte[] bytes)
    {
        WriteVarint(s, (ulong)bytes.Length);
        s.Write(bytes);
    }

    private static void WriteVarint(Stream s, ulong v)
    {
        while (v >= 0x80) { s.WriteByte((byte)(v | 0x80)); v >>= 7; }
        s.WriteByte((byte)v);
    }

    /// <inheritdoc/>
    public void Dispose() => stream.Dispose();
}
