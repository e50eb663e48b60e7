// --max-model-gib, shared by every command that loads a model directory (generate, eval, checkpoint
// convert, train, resume, sft, train-rm, serve): the most GiB a model's estimated load size may take
// (ModelMemory); without it, the machine's memory. Parsing, the range check and the up-front check of
// each directory a command will load; the estimate lives in ReasonRL.Models. Commands that load no
// model directory (reward replays scores, lab loads only folders it saved itself, bench, tokenize,
// verify, data, checkpoint inspect reads headers only) do not take it.
using ReasonRL.Models;
using System.CommandLine;

namespace ReasonRL.Cli.Commands;

internal static class MaxModelGibOption
{
    public static Option<double?> Create() => new("--max-model-gib")
    {
        Description = "refuse a model whose estimated load size (float32 parameters, held twice while loading) exceeds this many GiB, e.g. 8; default: this machine's memory",
    };

    /// <summary>The limit in bytes (null: the default); false after writing one line to <paramref name="error"/> when the value is not positive.</summary>
    public static bool TryGetBytes(ParseResult parse, Option<double?> option, string verb, TextWriter error, out long? bytes)
    {
        bytes = null;
        if (parse.GetValue(option) is not double gib) return true;
        if (!(gib > 0 && gib < 1e9))
        {
            error.WriteLine($"{verb}: --max-model-gib must be a positive number of GiB below 1e9, got {gib}");
            return false;
        }
        bytes = ModelMemory.GibToBytes(gib);
        return true;
    }

    /// <summary>Checks, before the command loads anything, that each model directory's config.json describes a
    /// model within <paramref name="bytes"/> (null: the machine's memory). A null entry (an optional model the
    /// config does not name) is skipped. The load itself checks again against its own limit (generate, eval and
    /// checkpoint convert pass <paramref name="bytes"/> to it; the runs' loads use the machine's memory), so a
    /// limit above the machine's memory does not admit a model larger than the machine there.</summary>
    /// <exception cref="HfConfigException">A config.json cannot be mapped, or its model is too large; CliRunner
    /// reports it in one line naming the file and the size fields, with exit code 2.</exception>
    public static void CheckDirectories(long? bytes, params string?[] directories)
    {
        foreach (string? directory in directories)
            if (directory is not null) ModelMemory.CheckDirectory(directory, bytes);
    }
}
