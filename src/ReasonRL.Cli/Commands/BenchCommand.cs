// `reasonrl bench …`: the benchmark group. Each benchmark is its own file (Bench<Name>Command.cs)
// and reports its figures beside the reference it is compared to, with machine and configuration.
using System.CommandLine;

namespace ReasonRL.Cli.Commands;

internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks: figures side by side with their reference, as ratios.");
        bench.Subcommands.Add(BenchVerifyCommand.Create());
        bench.Subcommands.Add(BenchTokenizerCommand.Create());
        bench.Subcommands.Add(BenchEngineCommand.Create());
        bench.Subcommands.Add(BenchGenerateCommand.Create());
        bench.Subcommands.Add(BenchServeCommand.Create());
        bench.Subcommands.Add(BenchPpoCommand.Create());
        return bench;
    }
}
