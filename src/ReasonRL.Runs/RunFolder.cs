// RunFolder: opens the run folder shared by `reasonrl sft` and `reasonrl train`: <dir>/checkpoints
// (CheckpointStore), config.resolved.yaml and run_kind (read by `reasonrl resume`). A folder that
// already holds checkpoints is only continued when resuming, and only with the same config hash.
// What it is not: the checkpoint format (CheckpointStore) or a runner (SftRun, TrainRun).
using ReasonRL.Core;
using ReasonRL.Training;

namespace ReasonRL.Runs;

/// <summary>An opened run folder and its newest checkpoint (null on a fresh run).</summary>
public sealed record RunFolder(string Directory, CheckpointStore Store, Checkpoint? Latest)
{
    /// <summary>Name of the resolved config in a run folder.</summary>
    public const string ConfigFileName = "config.resolved.yaml";

    /// <summary>File naming the run's kind ("train" or "sft").</summary>
    public const string KindFileName = "run_kind";

    /// <summary>Opens <paramref name="directory"/>, checks resume/hash rules, writes the resolved config and kind.</summary>
    public static RunFolder Open(string directory, int keepCheckpoints, string kind, string yaml, string hash, bool resume)
    {
        string dir = Path.GetFullPath(directory);
        var store = new CheckpointStore(Path.Combine(dir, "checkpoints"), keepCheckpoints);
        var latest = store.LoadLatest();
        if (latest is not null && !resume)
            throw new InvalidOperationException($"{dir} already holds checkpoints (latest step {latest.State.Step}); resume it (reasonrl resume {dir}) or choose another run.output_dir");
        if (latest is not null && latest.State.ConfigHash != hash)
            throw new InvalidOperationException($"{dir}: the checkpoint was written with a different config (hash {latest.State.ConfigHash[..12]}…, now {hash[..12]}…); resume with the run's own {ConfigFileName}");
        System.IO.Directory.CreateDirectory(dir);
        AtomicFile.WriteAllText(Path.Combine(dir, ConfigFileName), yaml);
        AtomicFile.WriteAllText(Path.Combine(dir, KindFileName), kind + "\n");
        return new RunFolder(dir, store, latest);
    }
}
