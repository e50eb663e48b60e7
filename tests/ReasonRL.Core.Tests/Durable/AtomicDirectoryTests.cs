// AtomicDirectory: a write replaces a folder whole, a failed write leaves the old one, and every
// crash point of the swap (simulated by leaving the folders a killed process would leave) is repaired
// to one complete copy — the only complete copy is never deleted. Delete and RecoverTree clean up.
namespace ReasonRL.Core.Tests.Durable;

public sealed class AtomicDirectoryTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rrl-atomic-dir-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    private static void Fill(string dir, string text)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "model.txt"), text);
    }

    private static string Read(string dir) => File.ReadAllText(Path.Combine(dir, "model.txt"));

    [Fact]
    public void Write_replaces_an_older_version_and_a_failed_write_keeps_it()
    {
        string dir = Path.Combine(root, "model");
        AtomicDirectory.Write(dir, d => File.WriteAllText(Path.Combine(d, "a.txt"), "1"));
        AtomicDirectory.Write(dir, d => File.WriteAllText(Path.Combine(d, "b.txt"), "2"));
        Assert.False(File.Exists(Path.Combine(dir, "a.txt")));
        Assert.Equal("2", File.ReadAllText(Path.Combine(dir, "b.txt")));
        Assert.False(Directory.Exists(dir + AtomicDirectory.TempSuffix));
        Assert.False(Directory.Exists(dir + AtomicDirectory.OldSuffix));
        Assert.Throws<InvalidOperationException>(() => AtomicDirectory.Write(dir, _ => throw new InvalidOperationException("crash")));
        Assert.Equal("2", File.ReadAllText(Path.Combine(dir, "b.txt")));
        AtomicDirectory.Write(dir, d => File.WriteAllText(Path.Combine(d, "c.txt"), "3"));   // the failed write's leftover is cleared
        Assert.Equal("3", File.ReadAllText(Path.Combine(dir, "c.txt")));
    }

    [Fact]
    public void Crash_between_the_renames_restores_the_old_copy()
    {
        // Killed after "<dir> → <dir>.old" and before "<dir>.tmp → <dir>": the .old is the only complete copy.
        string dir = Path.Combine(root, "step-000004");
        Fill(dir + AtomicDirectory.OldSuffix, "old complete");
        Fill(dir + AtomicDirectory.TempSuffix, "new, maybe unfinished");
        var actions = AtomicDirectory.Recover(dir);
        Assert.Equal(2, actions.Count);
        Assert.Equal("old complete", Read(dir));
        Assert.False(Directory.Exists(dir + AtomicDirectory.OldSuffix));
        Assert.False(Directory.Exists(dir + AtomicDirectory.TempSuffix));
    }

    [Fact]
    public void Crash_while_deleting_the_old_copy_keeps_the_new_one()
    {
        string dir = Path.Combine(root, "policy");
        Fill(dir, "new complete");
        Fill(dir + AtomicDirectory.OldSuffix, "old, half deleted");
        Assert.Single(AtomicDirectory.Recover(dir));
        Assert.Equal("new complete", Read(dir));
        Assert.False(Directory.Exists(dir + AtomicDirectory.OldSuffix));
    }

    [Fact]
    public void Recover_with_nothing_left_over_does_nothing()
    {
        string dir = Path.Combine(root, "clean");
        Fill(dir, "x");
        Assert.Empty(AtomicDirectory.Recover(dir));
        Assert.Equal("x", Read(dir));
    }

    [Fact]
    public void Delete_and_RecoverTree_clear_every_kind_of_leftover()
    {
        string a = Path.Combine(root, "a"), b = Path.Combine(root, "deep", "b"), c = Path.Combine(root, "c");
        Fill(a, "a");
        AtomicDirectory.Delete(a);
        Assert.False(Directory.Exists(a));
        Assert.False(Directory.Exists(a + AtomicDirectory.DeleteSuffix));

        Fill(b + AtomicDirectory.OldSuffix, "b old");                   // interrupted swap of deep/b
        Fill(c + AtomicDirectory.DeleteSuffix, "c, half deleted");       // interrupted delete of c
        Fill(Path.Combine(root, "x") + AtomicDirectory.TempSuffix, "x unfinished");
        File.WriteAllText(Path.Combine(root, "summary.json" + AtomicFile.TempSuffix), "{");
        var actions = AtomicDirectory.RecoverTree(root);
        Assert.Equal(4, actions.Count);
        Assert.Equal("b old", Read(b));
        Assert.Equal(["b"], Directory.GetDirectories(Path.Combine(root, "deep")).Select(Path.GetFileName));
        Assert.Equal(["deep"], Directory.GetDirectories(root).Select(Path.GetFileName));
        Assert.Empty(Directory.GetFiles(root));
    }
}
