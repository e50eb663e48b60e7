// Tests for CheckpointStore (round trip, crash half-way keeps `latest` on a complete checkpoint and
// the temp folder is cleaned on next open, keep-last-N pruning). The generator whose state a
// checkpoint saves (Core's Rng) is tested in ReasonRL.Core.Tests.
using ReasonRL.Models;
using ReasonRL.Training;
using Xunit;

namespace ReasonRL.Runs.Tests;

public sealed class CheckpointTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "rrl-ckpt-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(root)) Directory.Delete(root, true);
    }

    private static CheckpointPart[] Parts(float v) =>
    [
        new("policy", [SafeTensorsTensor.FromFloats("w", [2, 2], [v, v + 1, v + 2, v + 3])]),
        new("adam_m", [SafeTensorsTensor.FromFloats("w", [2, 2], [0.5f * v, 0, 0, 0])]),
    ];

    private static CheckpointState State(long step) => new(step, [1, 2, 3, (ulong)step], "abc", 100 * step, 0.05, 0, 1);

    [Fact]
    public void SaveLoad_RoundTrip()
    {
        var store = new CheckpointStore(root, 3);
        Assert.Null(store.LoadLatest());
        store.Save(State(5), Parts(1f));
        var c = store.LoadLatest()!;
        Assert.Equal(5, c.State.Step);
        Assert.Equal(new ulong[] { 1, 2, 3, 5 }, c.State.RngState);
        Assert.Equal(500, c.State.MetricsCursor);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, c.Parts["policy"]["w"].Floats);
        Assert.Equal(new[] { 0.5f, 0, 0, 0 }, c.Parts["adam_m"]["w"].Floats);
        Assert.EndsWith("step-000005", c.Directory);
    }

    [Fact]
    public void CrashHalfWay_LatestStaysCompleteAndTempIsCleaned()
    {
        var store = new CheckpointStore(root, 3);
        store.Save(State(10), Parts(1f));
        var crash = () => store.Save(State(20), Parts(9f), path =>
        {
            if (path.EndsWith("policy.safetensors", StringComparison.Ordinal)) throw new IOException("simulated crash");
        });
        Assert.Throws<IOException>(crash);
        Assert.True(Directory.Exists(Path.Combine(root, "step-000020.tmp")));
        Assert.Equal("step-000010", File.ReadAllText(Path.Combine(root, "latest")).Trim());

        var reopened = new CheckpointStore(root, 3);
        Assert.Single(reopened.CleanedOnOpen);
        Assert.False(Directory.Exists(Path.Combine(root, "step-000020.tmp")));
        var c = reopened.LoadLatest()!;
        Assert.Equal(10, c.State.Step);
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, c.Parts["policy"]["w"].Floats);
    }

    [Fact]
    public void CrashAfterFolderRename_BeforePointerUpdate_LatestStillOld()
    {
        var store = new CheckpointStore(root, 3);
        store.Save(State(1), Parts(1f));
        Assert.Throws<IOException>(() => store.Save(State(2), Parts(2f), path =>
        {
            if (path.EndsWith("step-000002", StringComparison.Ordinal)) throw new IOException("crash before pointer");
        }));
        Assert.Equal(1, new CheckpointStore(root, 3).LoadLatest()!.State.Step);
    }

    [Fact]
    public void ResavingAStep_NeverLeavesNeitherCopy()
    {
        // Re-saving step 5 used to delete step-000005 before moving the new copy in; a crash in between lost both.
        var store = new CheckpointStore(root, 3);
        store.Save(State(5), Parts(1f));
        Assert.Throws<IOException>(() => store.Save(State(5), Parts(7f), path =>
        {
            if (path.EndsWith("state.json", StringComparison.Ordinal)) throw new IOException("crash with the new copy complete in .tmp");
        }));
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, new CheckpointStore(root, 3).LoadLatest()!.Parts["policy"]["w"].Floats);

        // A kill between the two renames leaves step-000005.old as the only complete copy: the open restores it.
        string final = Path.Combine(root, "step-000005");
        Directory.Move(final, final + ".old");
        var reopened = new CheckpointStore(root, 3);
        Assert.Contains(reopened.CleanedOnOpen, line => line.StartsWith("restored", StringComparison.Ordinal));
        Assert.Equal(new[] { 1f, 2f, 3f, 4f }, reopened.LoadLatest()!.Parts["policy"]["w"].Floats);

        reopened.Save(State(5), Parts(7f));
        Assert.Equal(new[] { 7f, 8f, 9f, 10f }, new CheckpointStore(root, 3).LoadLatest()!.Parts["policy"]["w"].Floats);
        Assert.Equal(["latest", "step-000005"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void KeepsLastN()
    {
        var store = new CheckpointStore(root, 2);
        for (int s = 1; s <= 4; s++) store.Save(State(s), Parts(s));
        Assert.Equal(new long[] { 3, 4 }, store.Steps());
        Assert.Equal(4, store.LoadLatest()!.State.Step);
    }

    [Fact]
    public void BadPartName_Rejected()
    {
        var store = new CheckpointStore(root, 2);
        var e = Assert.Throws<ArgumentException>(() => store.Save(State(1), [new("a/b", [])]));
        Assert.Contains("a/b", e.Message);
    }
}
