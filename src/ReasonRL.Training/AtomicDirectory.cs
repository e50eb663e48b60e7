// AtomicDirectory: build a directory (a model folder) under <dir>.tmp, then swap it in: the old copy is
// renamed to <dir>.old, the new one to <dir>, and only then is the old one deleted — at every moment
// a complete copy exists under <dir> or <dir>.old. The one directory writer of run folders, the lab,
// reward models and saved policies.
// What it is not: a single-file writer (AtomicFile).
namespace ReasonRL.Training;

/// <summary>Atomic directory replacement.</summary>
public static class AtomicDirectory
{
    /// <summary>Calls <paramref name="write"/> with an empty temporary directory beside
    /// <paramref name="directory"/>, then replaces <paramref name="directory"/> with it.</summary>
    public static void Write(string directory, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
        string temp = full + ".tmp", old = full + ".old";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        Directory.CreateDirectory(temp);
        write(temp);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(full)) Directory.Move(full, old);
        Directory.Move(temp, full);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
    }
}
