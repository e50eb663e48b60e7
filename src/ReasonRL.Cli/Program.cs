// reasonrl: the command-line entry point. A thin dispatcher (docs/conventions.md §19): every verb lives in
// Commands/<Verb>Command.cs and calls library code; CliRunner wires them and owns the one error path.
return ReasonRL.Cli.CliRunner.Run(args);
