// CliRunner: the one error path of `reasonrl` (docs/conventions.md §15, §19). It wires the verbs of
// CommandCatalog under a root command with a recursive --verbose flag and runs them. A typed input
// error that a command did not handle itself (a config, data file, model folder, tokenizer or
// chat template the user gave) becomes one line on stderr, "reasonrl <verb>: <file>: <field> …",
// and exit code 2; any other exception is an internal error, one line and exit code 1. The stack
// trace follows only with --verbose. What it is not: a place for command logic.
using ReasonRL.Cli.Commands;
using ReasonRL.Core;
using ReasonRL.Data.Datasets;
using ReasonRL.Models;
using ReasonRL.Text;
using ReasonRL.Text.Chat;
using System.CommandLine;

namespace ReasonRL.Cli;

/// <summary>Parses, runs and reports errors for the reasonrl command line.</summary>
public static class CliRunner
{
    /// <summary>Exit code of a typed input error (also used by the commands' own argument checks).</summary>
    public const int InputErrorExitCode = 2;

    /// <summary>Exit code of an internal error (a bug, not the user's input).</summary>
    public const int InternalErrorExitCode = 1;

    /// <summary>Runs reasonrl with <paramref name="args"/>; output and errors go to the given writers
    /// (the console's when null).</summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var verbose = new Option<bool>("--verbose") { Description = "print the stack trace under an error message", Recursive = true };
        var root = new RootCommand("ReasonRL: reinforcement learning for LLM reasoning, with rewards that cannot be farmed.");
        root.Options.Add(verbose);
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        ParseResult parse = root.Parse(args);
        var configuration = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        if (output is not null) configuration.Output = output;
        if (error is not null) configuration.Error = error;
        TextWriter err = error ?? Console.Error;
        try
        {
            return parse.Invoke(configuration);
        }
        catch (Exception e)
        {
            bool input = IsInputError(e);
            var names = new List<string>();   // "checkpoint convert": the verb path below the root
            for (var r = parse.CommandResult; r.Command != root && r.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
                names.Insert(0, r.Command.Name);
            string verb = string.Join(' ', names);
            err.WriteLine($"reasonrl {verb}: {(input ? "" : $"internal error ({e.GetType().Name}): ")}{OneLine(e.Message)}");
            if (parse.GetValue(verbose)) err.WriteLine(e.ToString());
            else if (!input) err.WriteLine("  (run again with --verbose for the stack trace)");
            return input ? InputErrorExitCode : InternalErrorExitCode;
        }
    }

    /// <summary>True for the typed errors that describe the user's input (each names its file and field).</summary>
    public static bool IsInputError(Exception e) => e is HfConfigException or HfCheckpointException or SafeTensorsFormatException
        or TokenizerFormatException or ChatTemplateException or DatasetFormatException or ConfigException
        or FileNotFoundException or DirectoryNotFoundException;

    private static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
