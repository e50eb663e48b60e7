// Crash-resume proven by force: `reasonrl train` (micro model, a checkpoint every step, TensorBoard on)
// runs as a child process and is killed with SIGKILL (Process.Kill) three times: twice at a seeded
// moment (a seeded step printed, plus a seeded delay: generation, the update or the metrics write) and
// once the moment a checkpoint folder is being written (checkpoints/step-*.tmp exists); after every kill a copy of the killed folder is resumed to
// the end, and finally the killed run itself. Each must equal the uninterrupted run bit for bit: the
// policy's model.safetensors bytes, metrics.jsonl without the wall-clock fields (WallClockFields), and
// every step exactly once in metrics.jsonl and in TensorBoard. The many-kill version (≥ 20 kills, and
// the lab) is tools/crash/kill-resume.sh.
using ReasonRL.Cli.Commands;
using ReasonRL.Core;
using ReasonRL.Runs;
using System.CommandLine;
using System.Diagnostics;
using Xunit.Abstractions;

namespace ReasonRL.Cli.Tests;

public sealed class KillResumeTests(ITestOutputHelper log) : IDisposable
{
    private const int Steps = 6;
    private const int Kills = 3;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"reasonrl-kill-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static void InProcess(params string[] args)
    {
        var root = new RootCommand("test");
        foreach (var c in CommandCatalog.All()) root.Subcommands.Add(c);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        Assert.True(code == 0, $"reasonrl {string.Join(' ', args)} exited {code}: {error}{output}");
    }

    private string[] TrainArgs(string run) =>
    [
        "train", $"run.output_dir={run}", $"model.policy={Path.Combine(_dir, "sft", "model")}", $"data.prompts={Path.Combine(_dir, "data", "train.jsonl")}",
        "data.prompts_per_step=2", "algorithm.group_size=2", "rollout.max_new_tokens=6", $"run.total_steps={Steps}", "run.checkpoint_every=1",
        "run.keep_checkpoints=2", "optim.lr=0.001", "run.seed=7",
    ];

    /// <summary>Resume when a checkpoint exists; a run killed before its first checkpoint starts again.</summary>
    private string[] ContinueArgs(string run) => File.Exists(Path.Combine(run, "checkpoints", "latest")) ? ["resume", run] : TrainArgs(run);

    /// <summary>The CLI as a child process: the apphost's managed entry point run by the test's own dotnet host.</summary>
    private static Process Start(string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "reasonrl.dll");
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        return Process.Start(info) ?? throw new InvalidOperationException("could not start " + dll);
    }

    /// <summary>Runs the child until it has printed "step <paramref name="afterStep"/>/" and then
    /// <paramref name="delayMs"/> more (or, with <paramref name="duringWrite"/>, until a checkpoint folder
    /// under <paramref name="checkpoints"/> is being written), and SIGKILLs it; false when it finished first.</summary>
    private static bool RunAndKill(string[] args, int afterStep, int delayMs, bool duringWrite, string checkpoints)
    {
        using var child = Start(args);
        var reached = new ManualResetEventSlim();
        child.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("step ", StringComparison.Ordinal)
                && int.TryParse(line.AsSpan(5, line.IndexOf('/', StringComparison.Ordinal) - 5), out int s) && s >= afterStep)
                reached.Set();
        };
        child.ErrorDataReceived += (_, _) => { };
        child.BeginOutputReadLine();
        child.BeginErrorReadLine();
        while (!reached.Wait(50))
            if (child.HasExited) return false;
        if (duringWrite)
        {
            while (!Directory.Exists(checkpoints) || !Directory.EnumerateDirectories(checkpoints, "step-*.tmp").Any())
                if (child.HasExited) return false;
        }
        else
        {
            Thread.Sleep(delayMs);
        }
        if (child.HasExited) return false;
        child.Kill();   // SIGKILL on Unix: no finally blocks, no flushes
        child.WaitForExit();
        return true;
    }

    private static void AssertSameRun(string reference, string run, string what)
    {
        Assert.True(File.ReadAllBytes(Path.Combine(reference, "policy", "model.safetensors"))
            .AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(run, "policy", "model.safetensors"))), $"{what}: final weights differ");
        string expected = WallClockFields.Strip(File.ReadAllText(Path.Combine(reference, "metrics.jsonl")), lines: true);
        Assert.Equal(expected, WallClockFields.Strip(File.ReadAllText(Path.Combine(run, "metrics.jsonl")), lines: true));
        var tbSteps = Directory.GetFiles(Path.Combine(run, "tb")).SelectMany(TfEventsReader.Read)
            .Where(e => e.Scalars.Count > 0).Select(e => e.Step).Order().ToList();
        Assert.Equal(Enumerable.Range(1, Steps).Select(s => (long)s), tbSteps);
    }

    [Fact]
    [Trait("Lane", "Slow")]
    public void Train_killed_at_random_moments_resumes_bit_identical()
    {
        Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "reasonrl.dll")), "reasonrl.dll is not beside the tests");
        InProcess("data", "lab", "--out", Path.Combine(_dir, "data"), "--sft", "16", "--train", "8", "--test", "4");
        InProcess("sft", $"run.output_dir={Path.Combine(_dir, "sft")}", "model.size=micro", "model.tokenizer=char:lab",
            $"data.train={Path.Combine(_dir, "data", "sft.jsonl")}", "sft.batch_size=8", "sft.epochs=1", "run.tensorboard=false");
        string reference = Path.Combine(_dir, "reference"), killed = Path.Combine(_dir, "killed");
        InProcess(TrainArgs(reference));

        var rng = new Rng(17);
        int kills = 0, afterStep = 0;
        while (kills < Kills)
        {
            afterStep = Math.Min(Steps - 1, afterStep + 1 + rng.NextInt(2));
            int delay = rng.NextInt(400);
            bool duringWrite = kills == 1;
            if (!RunAndKill(ContinueArgs(killed), afterStep, delay, duringWrite, Path.Combine(killed, "checkpoints")))
            {
                // The run finished before the kill: it must still be right; start a new one to kill.
                AssertSameRun(reference, killed, "a run that finished before its kill");
                Directory.Delete(killed, recursive: true);
                afterStep = 0;
                continue;
            }
            kills++;
            string latest = Path.Combine(killed, "checkpoints", "latest");
            int leftovers = Directory.GetFileSystemEntries(killed, "*", SearchOption.AllDirectories)
                .Count(p => p.EndsWith(".tmp", StringComparison.Ordinal) || p.EndsWith(".old", StringComparison.Ordinal) || p.EndsWith(".del", StringComparison.Ordinal));
            log.WriteLine($"kill {kills} after step {afterStep} + {(duringWrite ? "during the next checkpoint write" : delay + " ms")}: latest {(File.Exists(latest) ? File.ReadAllText(latest).Trim() : "none")}, {leftovers} write leftover(s)");
            string copy = Path.Combine(_dir, $"after-kill-{kills}");
            CopyTree(killed, copy);
            InProcess(ContinueArgs(copy));
            AssertSameRun(reference, copy, $"kill {kills} (after step {afterStep})");
        }
        InProcess(ContinueArgs(killed));
        AssertSameRun(reference, killed, "the killed run resumed to the end");
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (var dir in Directory.GetDirectories(from)) CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
