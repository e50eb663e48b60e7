// AtomicFile: the one durable single-file writer. A write goes to <path>.tmp in the same folder, is
// flushed and fsync'ed, renamed over <path> (rename(2) is atomic on one file system) and then the
// folder is fsync'ed so the rename itself survives a power cut. A crash therefore leaves the old file
// or the new one, never half of one; a leftover <path>.tmp is only ever an unfinished write (the next
// write replaces it, AtomicDirectory.RecoverTree deletes it). Every text, JSON, JSONL, safetensors and
// report file of the tree is written through here; only append-only logs (metrics.jsonl, TensorBoard
// event files, an eval's .partial) append in place and flush.
// What it is not: a folder writer (AtomicDirectory) or the fsync calls themselves (DiskSync).
// References: POSIX rename(2); docs/conventions.md §21 (durable writes).
using System.Text;

namespace ReasonRL.Core;

/// <summary>Durable, atomic single-file writes.</summary>
public static class AtomicFile
{
    /// <summary>Suffix of the temporary file a write goes through.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) to <paramref name="path"/>.</summary>
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, new UTF8Encoding(false).GetBytes(text));

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/>.</summary>
    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/> durably.</summary>
    public static void Copy(string source, string destination)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read);
        Write(destination, input.CopyTo);
    }

    /// <summary>Calls <paramref name="write"/> with a stream on <c>&lt;path&gt;.tmp</c> (created, or emptied),
    /// then flushes and fsyncs it, renames it over <paramref name="path"/> and fsyncs the folder.
    /// Creates the folder when missing. When <paramref name="write"/> throws, the target is untouched.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        string temp = full + TempSuffix;
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            write(stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, full, overwrite: true);
        DiskSync.FlushDirectory(folder);
    }

    /// <summary>Deletes <paramref name="path"/> when it exists and fsyncs its folder.</summary>
    public static void Delete(string path)
    {
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) return;
        File.Delete(full);
        DiskSync.FlushParent(full);
    }
}
