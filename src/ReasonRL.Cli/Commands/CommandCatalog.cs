// The explicit list of reasonrl's verbs (no reflection-driven registration, docs/conventions.md §11).
using System.CommandLine;

namespace ReasonRL.Cli.Commands;

internal static class CommandCatalog
{
    /// <summary>Every top-level command, in the order `reasonrl --help` lists them.</summary>
    public static IEnumerable<Command> All()
    {
        yield return LabCommand.Create();
        yield return BenchCommand.Create();
        yield return VerifyCommand.Create();
        yield return RewardCommand.Create();
        yield return CheckpointCommand.Create();
        yield return TokenizeCommand.Create();
        yield return ServeCommand.Create();
        yield return GenerateCommand.Create();
        yield return TrainRmCommand.Create();
        yield return DataCommand.Create();
        yield return SftCommand.Create();
        yield return TrainCommand.Create();
        yield return ResumeCommand.Create();
        yield return EvalCommand.Create();
    }
}
