// --max-model-gib, shared by the commands that load a model directory (generate, eval, checkpoint
// convert): the most GiB a model's estimated load size may take (ModelMemory); without it, the
// machine's memory. Parsing and the range check only; the estimate lives in ReasonRL.Models.
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
}
