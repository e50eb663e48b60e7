// AtomicFile: write a small text file via <path>.tmp (flushed to disk) + rename, so a crash leaves the
// old file or the new one, never half of one. The one text-file writer for run folders, the lab, eval
// results, resolved configs and reward-model reports.
// What it is not: the checkpoint format (CheckpointStore) or streamed JSONL writing (JsonlFile).
using System.Text;

namespace ReasonRL.Training;

/// <summary>Atomic small-file writes.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> (UTF-8, no BOM) to <paramref name="path"/> through a temporary
    /// file in the same folder, flushed to disk, and a rename; creates the folder when missing.</summary>
    public static void WriteAllText(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        string tmp = path + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            fs.Write(new UTF8Encoding(false).GetBytes(text));
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, path, overwrite: true);
    }
}
