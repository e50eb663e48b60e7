// AtomicDirectory: the one durable folder writer (model folders, checkpoints, reward models). A write
// builds the folder as <dir>.tmp, fsyncs every file and folder in it, and swaps it in:
//   <dir> → <dir>.old, fsync parent;  <dir>.tmp → <dir>, fsync parent;  delete <dir>.old, fsync parent.
// At every moment a complete copy exists as <dir> or <dir>.old, so a crash never leaves neither. A
// delete renames <dir> → <dir>.del (fsync parent) before removing it, so a half-deleted folder is never
// mistaken for a complete one. Leftovers are repaired, never guessed at (Recover / RecoverTree):
//   <dir>.tmp            unfinished build (a complete copy is still <dir> or <dir>.old)  → deleted
//   <dir>.old, no <dir>  crash between the two renames; .old is the only complete copy  → renamed back
//   <dir>.old and <dir>  crash while deleting the old copy; <dir> is complete           → deleted
//   <dir>.del            a delete that was interrupted                                  → deleted
// What it is not: a single-file writer (AtomicFile) or the fsync calls (DiskSync).
// References: POSIX rename(2); docs/conventions.md §21 (durable writes).
namespace ReasonRL.Core;

/// <summary>Durable folder replacement, deletion and leftover repair.</summary>
public static class AtomicDirectory
{
    /// <summary>Suffix of a folder being built.</summary>
    public const string TempSuffix = ".tmp";

    /// <summary>Suffix of the previous copy while a new one is swapped in.</summary>
    public const string OldSuffix = ".old";

    /// <summary>Suffix of a folder being deleted.</summary>
    public const string DeleteSuffix = ".del";

    /// <summary>Calls <paramref name="write"/> with an empty folder beside <paramref name="directory"/>,
    /// fsyncs what it wrote and replaces <paramref name="directory"/> with it. When <paramref name="write"/>
    /// throws, <paramref name="directory"/> is untouched and the partial <c>.tmp</c> folder is left for the
    /// next write or <see cref="Recover"/> (as a crash would leave it).</summary>
    public static void Write(string directory, Action<string> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Normalize(directory);
        string temp = full + TempSuffix, old = full + OldSuffix;
        string parent = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(parent);
        Recover(full);
        Directory.CreateDirectory(temp);
        write(temp);
        DiskSync.FlushTree(temp);
        bool replacing = Directory.Exists(full);
        if (replacing)
        {
            Directory.Move(full, old);
            DiskSync.FlushDirectory(parent);
        }
        Directory.Move(temp, full);
        DiskSync.FlushDirectory(parent);
        if (replacing)
        {
            Directory.Delete(old, recursive: true);
            DiskSync.FlushDirectory(parent);
        }
    }

    /// <summary>Deletes <paramref name="directory"/> (when present) so that no half-deleted copy keeps its name.</summary>
    public static void Delete(string directory)
    {
        string full = Normalize(directory);
        if (!Directory.Exists(full)) return;
        string doomed = full + DeleteSuffix;
        if (Directory.Exists(doomed)) Directory.Delete(doomed, recursive: true);
        Directory.Move(full, doomed);
        DiskSync.FlushParent(full);
        Directory.Delete(doomed, recursive: true);
        DiskSync.FlushParent(full);
    }

    /// <summary>Repairs the leftovers of an interrupted write or delete of <paramref name="directory"/>
    /// (see the file header) and returns one line per action taken.</summary>
    public static IReadOnlyList<string> Recover(string directory)
    {
        string full = Normalize(directory);
        var actions = new List<string>();
        string temp = full + TempSuffix, old = full + OldSuffix, doomed = full + DeleteSuffix;
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
            actions.Add($"deleted the unfinished {temp}");
        }
        if (Directory.Exists(old))
        {
            if (Directory.Exists(full))
            {
                Directory.Delete(old, recursive: true);
                actions.Add($"deleted the replaced copy {old}");
            }
            else
            {
                Directory.Move(old, full);
                actions.Add($"restored {full} from {old} (a replacement was interrupted)");
            }
        }
        if (Directory.Exists(doomed))
        {
            Directory.Delete(doomed, recursive: true);
            actions.Add($"finished deleting {doomed}");
        }
        if (actions.Count > 0) DiskSync.FlushParent(full);
        return actions;
    }

    /// <summary>Repairs every leftover under <paramref name="root"/> (recursively): the folders of
    /// <see cref="Recover"/> and unfinished <c>*.tmp</c> files of AtomicFile. Returns one line per action.</summary>
    public static IReadOnlyList<string> RecoverTree(string root)
    {
        var actions = new List<string>();
        if (!Directory.Exists(root)) return actions;
        var targets = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var dir in Directory.EnumerateDirectories(root, "*", SearchOption.AllDirectories))
        {
            foreach (var suffix in new[] { TempSuffix, OldSuffix, DeleteSuffix })
                if (dir.EndsWith(suffix, StringComparison.Ordinal)) targets.Add(dir[..^suffix.Length]);
        }
        foreach (var target in targets) actions.AddRange(Recover(target));
        foreach (var file in Directory.EnumerateFiles(root, "*" + AtomicFile.TempSuffix, SearchOption.AllDirectories).ToList())
        {
            AtomicFile.Delete(file);
            actions.Add($"deleted the unfinished {file}");
        }
        return actions;
    }

    private static string Normalize(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        return Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar);
    }
}
