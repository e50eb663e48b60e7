// CliHarness: runs the reasonrl command tree in-process, as Program does, with captured stdout and
// stderr — the one way the CLI tests invoke a command.
using ReasonRL.Cli.Commands;
using System.CommandLine;

namespace ReasonRL.Cli.Tests;

internal static class CliHarness
{
    /// <summary>Exit code, stdout and stderr of `reasonrl <paramref name="args"/>`.</summary>
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var root = new RootCommand("test");
        foreach (var c in CommandCatalog.All()) root.Subcommands.Add(c);
        var output = new StringWriter();
        var error = new StringWriter();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
