// TfEventsReader: decodes tfevents files written by TfEventsWriter (or TensorFlow): checks both
// masked CRCs of every TFRecord and parses Event{wall_time, step, file_version, summary{value{tag,
// simple_value}}}, skipping unknown fields. Used by tests and by tools that read runs back.
// What it is not: a reader of images, histograms or tensor summaries (their values are skipped).
// Reference: see TfEventsWriter.cs.
using ReasonRL.Training;
using System.Buffers.Binary;
using System.Text;

namespace ReasonRL.Runs;

/// <summary>One decoded event.</summary>
public sealed record TfEvent(double WallTime, long Step, string? FileVersion, IReadOnlyList<(string Tag, float Value)> Scalars);

/// <summary>Reads tfevents files.</summary>
public static class TfEventsReader
{
    /// <summary>Reads every record; throws InvalidDataException naming the file, offset and the bad CRC.</summary>
    public static List<TfEvent> Read(string path) => [.. ReadRecords(path, File.ReadAllBytes(path), tornTailAllowed: false).Select(r => r.Event)];

    /// <summary>Each record with its byte range. With <paramref name="tornTailAllowed"/>, an incomplete
    /// last record (a writer killed mid-append) ends the list instead of throwing; a bad CRC always throws.</summary>
    internal static List<(TfEvent Event, int Offset, int Length)> ReadRecords(string path, byte[] bytes, bool tornTailAllowed)
    {
        var records = new List<(TfEvent, int, int)>();
        int pos = 0;
        while (pos < bytes.Length)
        {
            if (bytes.Length - pos < 12)
            {
                if (tornTailAllowed) break;
                throw new InvalidDataException($"{path}: truncated record header at offset {pos}");
            }
            ulong len = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(pos));
            uint lenCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 8));
            if (lenCrc != Crc32C.Masked(bytes.AsSpan(pos, 8))) throw new InvalidDataException($"{path}: bad length CRC at offset {pos}");
            if ((ulong)(bytes.Length - pos - 16) < len)
            {
                if (tornTailAllowed) break;
                throw new InvalidDataException($"{path}: truncated record data at offset {pos}");
            }
            var data = bytes.AsSpan(pos + 12, (int)len);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(pos + 12 + (int)len));
            if (dataCrc != Crc32C.Masked(data)) throw new InvalidDataException($"{path}: bad data CRC at offset {pos}");
            records.Add((ParseEvent(data), pos, 16 + (int)len));
            pos += 16 + (int)len;
        }
        return records;
    }

    private static TfEvent ParseEvent(ReadOnlySpan<byte> data)
    {
        double wall = 0; long step = 0; string? version = null;
        var scalars = new List<(string, float)>();
        int p = 0;
        while (p < data.Length)
        {
            ulong key = ReadVarint(data, ref p);
            int field = (int)(key >> 3), wire = (int)(key & 7);
            if (field == 1 && wire == 1) { wall = BinaryPrimitives.ReadDoubleLittleEndian(data[p..]); p += 8; }
            else if (field == 2 && wire == 0) step = (long)ReadVarint(data, ref p);
            else if (field == 3 && wire == 2) version = Encoding.UTF8.GetString(ReadBytes(data, ref p));
            else if (field == 5 && wire == 2) ParseSummary(ReadBytes(data, ref p), scalars);
            else Skip(data, ref p, wire);
        }
        return new TfEvent(wall, step, version, scalars);
    }

    private static void ParseSummary(ReadOnlySpan<byte> data, List<(string, float)> scalars)
    {
        int p = 0;
        while (p < data.Length)
        {
            ulong key = ReadVarint(data, ref p);
            if (key >> 3 == 1 && (key & 7) == 2)
            {
                var v = ReadBytes(data, ref p);
                string tag = ""; float value = float.NaN; int q = 0;
                while (q < v.Length)
                {
                    ulong k = ReadVarint(v, ref q);
                    if (k >> 3 == 1 && (k & 7) == 2) tag = Encoding.UTF8.GetString(ReadBytes(v, ref q));
                    else if (k >> 3 == 2 && (k & 7) == 5) { value = BinaryPrimitives.ReadSingleLittleEndian(v[q..]); q += 4; }
                    else Skip(v, ref q, (int)(k & 7));
                }
                scalars.Add((tag, value));
            }
            else Skip(data, ref p, (int)(key & 7));
        }
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> d, ref int p)
    {
        ulong v = 0; int shift = 0;
        while (true)
        {
            if (p >= d.Length || shift > 63) throw new InvalidDataException("tfevents: malformed varint");
            byte b = d[p++];
            v |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return v;
            shift += 7;
        }
    }

    private static ReadOnlySpan<byte> ReadBytes(ReadOnlySpan<byte> d, ref int p)
    {
        int n = checked((int)ReadVarint(d, ref p));
        if (n < 0 || p + n > d.Length) throw new InvalidDataException("tfevents: length-delimited field overruns its message");
        var s = d.Slice(p, n);
        p += n;
        return s;
    }

    private static void Skip(ReadOnlySpan<byte> d, ref int p, int wire)
    {
        switch (wire)
        {
            case 0: ReadVarint(d, ref p); break;
            case 1: p += 8; break;
            case 2: ReadBytes(d, ref p); break;
            case 5: p += 4; break;
            default: throw new InvalidDataException($"tfevents: unsupported wire type {wire}");
        }
    }
}
