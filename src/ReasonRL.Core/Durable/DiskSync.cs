// DiskSync: the two fsyncs a durable write needs — a file's data and metadata (FileStream.Flush(true),
// i.e. fsync(2)), and a directory's entries after a rename or delete in it. .NET has no directory
// fsync: SafeFileHandle refuses to open a directory, so on Linux, macOS and FreeBSD the directory is
// opened read-only through libc and fsync'ed; Windows has no such call (NTFS journals renames) and the
// directory flush is a no-op there. A file system that cannot sync a directory (EINVAL, e.g. some
// network and FUSE mounts) is accepted as it is: there is nothing more a process can do.
// What it is not: the write protocol itself (AtomicFile, AtomicDirectory).
// References: POSIX fsync(2) and rename(2); docs/conventions.md §21 (durable writes).
using System.Runtime.InteropServices;

namespace ReasonRL.Core;

/// <summary>fsync of files and directories.</summary>
public static class DiskSync
{
    private const int ORdOnly = 0;
    private const int EInval = 22;
    private const int EIntr = 4;

    /// <summary>Flushes <paramref name="path"/>'s data and metadata to the device (fsync).</summary>
    public static void FlushFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>Flushes the entries of <paramref name="directory"/> (renames, creations and deletions in it)
    /// to the device; a no-op where the platform has no directory fsync.</summary>
    public static void FlushDirectory(string directory)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())) return;
        int fd = Open(directory, ORdOnly);
        if (fd < 0) throw new IOException($"{directory}: cannot open the directory to sync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            int rc;
            do { rc = Fsync(fd); } while (rc != 0 && Marshal.GetLastPInvokeError() == EIntr);
            if (rc != 0 && Marshal.GetLastPInvokeError() is int errno && errno != EInval)
                throw new IOException($"{directory}: fsync of the directory failed (errno {errno})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>Flushes the directory that holds <paramref name="path"/>.</summary>
    public static void FlushParent(string path) =>
        FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path).TrimEnd(Path.DirectorySeparatorChar)) ?? ".");

    /// <summary>Flushes every file and folder under <paramref name="directory"/>, then the folder itself.</summary>
    public static void FlushTree(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory)) FlushFile(file);
        foreach (var sub in Directory.EnumerateDirectories(directory)) FlushTree(sub);
        FlushDirectory(directory);
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static extern int Fsync(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
