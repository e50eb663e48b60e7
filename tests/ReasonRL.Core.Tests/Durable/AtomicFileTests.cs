// AtomicFile and DiskSync: a write replaces the file whole and leaves no temp file, a failed write
// leaves the old content, copies and deletes are durable, and directory fsync works on a real folder
// (the libc call is found and succeeds) while a missing folder is an IOException naming it.
namespace ReasonRL.Core.Tests.Durable;

public sealed class AtomicFileTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rrl-atomic-file-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    [Fact]
    public void Write_replaces_whole_file_and_leaves_no_temp()
    {
        string path = Path.Combine(root, "sub", "a.json");
        AtomicFile.WriteAllText(path, "first version, longer");
        AtomicFile.WriteAllText(path, "second");
        Assert.Equal("second", File.ReadAllText(path));
        Assert.False(File.Exists(path + AtomicFile.TempSuffix));
        AtomicFile.WriteAllBytes(path, [1, 2, 3]);
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(path));
    }

    [Fact]
    public void Failed_write_keeps_the_old_file()
    {
        string path = Path.Combine(root, "b.txt");
        AtomicFile.WriteAllText(path, "kept");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            s.Write("half"u8);
            throw new InvalidOperationException("crash mid-write");
        }));
        Assert.Equal("kept", File.ReadAllText(path));
    }

    [Fact]
    public void Copy_and_delete()
    {
        string a = Path.Combine(root, "a.bin"), b = Path.Combine(root, "c", "b.bin");
        AtomicFile.WriteAllBytes(a, [9, 8, 7]);
        AtomicFile.Copy(a, b);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        AtomicFile.Delete(b);
        Assert.False(File.Exists(b));
        AtomicFile.Delete(b);   // deleting what is not there is not an error
    }

    [Fact]
    public void Directory_fsync_succeeds_on_a_folder_and_names_a_missing_one()
    {
        Directory.CreateDirectory(root);
        DiskSync.FlushDirectory(root);
        DiskSync.FlushTree(root);
        if (!OperatingSystem.IsLinux()) return;   // elsewhere the directory flush may be a no-op
        string missing = Path.Combine(root, "missing");
        var e = Assert.Throws<IOException>(() => DiskSync.FlushDirectory(missing));
        Assert.Contains(missing, e.Message);
    }
}
