// reasonrl: the command-line entry point. A thin dispatcher (docs/conventions.md §19): every verb lives in
// Commands/<Verb>Command.cs and calls library code; nothing here but wiring.
using ReasonRL.Cli.Commands;
using System.CommandLine;

var root = new RootCommand(
    "ReasonRL: reinforcement learning for LLM reasoning, with rewards that cannot be farmed.");
foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
return root.Parse(args).Invoke();
