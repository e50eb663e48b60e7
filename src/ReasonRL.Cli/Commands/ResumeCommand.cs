// `reasonrl resume RUN_DIR`: continues a `reasonrl train` or `reasonrl sft` run from its latest
// checkpoint with the run's own config.resolved.yaml (so the config hash matches), ending with the
// same weights as an uninterrupted run. Thin: dispatches on RUN_DIR/run_kind to TrainRun / SftRun.
using ReasonRL.Runs;
using ReasonRL.Training;
using System.CommandLine;

namespace ReasonRL.Cli.Commands;

internal static class ResumeCommand
{
    public static Command Create()
    {
        var runDir = new Argument<string>("run-dir") { Description = "run folder of a train or sft run (holds run_kind, config.resolved.yaml, checkpoints/)" };
        var every = new Option<int>("--print-every") { Description = "plain-text progress line every N steps when output is redirected", DefaultValueFactory = _ => 1 };
        var maxModelGib = MaxModelGibOption.Create();
        var command = new Command("resume", "Continue a train or sft run from its latest checkpoint (exact: same final weights as an uninterrupted run).");
        command.Arguments.Add(runDir);
        command.Options.Add(every);
        command.Options.Add(maxModelGib);
        command.SetAction(parse => MaxModelGibOption.TryGetBytes(parse, maxModelGib, "resume", parse.InvocationConfiguration.Error, out long? maxBytes)
            ? Run(parse.GetValue(runDir)!, parse.GetValue(every), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, maxBytes)
            : 2);
        return command;
    }

    internal static int Run(string dir, int printEvery, TextWriter output, TextWriter error, long? maxModelBytes)
    {
        string kindPath = Path.Combine(dir, RunFolder.KindFileName), configPath = Path.Combine(dir, RunFolder.ConfigFileName);
        if (!File.Exists(kindPath) || !File.Exists(configPath))
        {
            error.WriteLine($"resume: {dir} is not a run folder (expected {RunFolder.KindFileName} and {RunFolder.ConfigFileName} written by reasonrl train or sft)");
            return 2;
        }
        string kind = File.ReadAllText(kindPath).Trim();
        try
        {
            switch (kind)
            {
                case "train":
                    return TrainCommand.Run(TrainConfigLoader.Load(configPath), configPath, resume: true, printEvery, output, error, maxModelBytes, dir);
                case "sft":
                    return SftCommand.Run(configPath, [], resume: true, printEvery, output, error, maxModelBytes, dir);
                default:
                    error.WriteLine($"resume: {kindPath} says '{kind}'; expected train or sft");
                    return 2;
            }
        }
        catch (TrainConfigException e)
        {
            error.WriteLine($"resume: config error: {e.Message}");
            return 2;
        }
    }
}
