// AtomicFile: write a small text file via <path>.tmp + rename, so readers never see half of it.
// What it is not: the checkpoint format (CheckpointStore) or JSONL writing (JsonlFile).
namespace ReasonRL.Training.Runs;

/// <summary>Atomic small-file writes.</summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> through a temporary file and a rename.</summary>
    public static void WriteAllText(string path, string text)
    {
        string tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
