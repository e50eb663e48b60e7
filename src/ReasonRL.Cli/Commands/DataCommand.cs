// `reasonrl data lab --out DIR [--sft N] [--train N] [--test N] [--seed S] [--unnecessary-share P] [--min-ops A --max-ops B]`:
// writes the lab task as JSONL (sft.jsonl {id, prompt, response}; train.jsonl / test.jsonl {id,
// question, answer}; sft_test.jsonl = the test problems as SFT rows) for `reasonrl sft` and `reasonrl train`. Thin: the work is
// ReasonRL.Runs.LabDataExport over ReasonRL.Data.Lab.LabTaskGenerator.
using ReasonRL.Data.Lab;
using ReasonRL.Runs;
using System.CommandLine;

namespace ReasonRL.Cli.Commands;

internal static class DataCommand
{
    public static Command Create()
    {
        var command = new Command("data", "Write training data files (JSONL) for sft / train.");
        command.Subcommands.Add(Lab());
        return command;
    }

    private static Command Lab()
    {
        var output = new Option<string>("--out") { Description = "output folder (created); sft.jsonl, train.jsonl and test.jsonl are written atomically", Required = true };
        var sft = new Option<int?>("--sft") { Description = "SFT examples (train split); default = --train" };
        var train = new Option<int>("--train") { Description = "RL prompts from the train split", DefaultValueFactory = _ => 2000 };
        var test = new Option<int>("--test") { Description = "held-out problems (test split)", DefaultValueFactory = _ => 200 };
        var seed = new Option<int>("--seed") { Description = "generator seed", DefaultValueFactory = _ => LabTaskOptions.Default.Seed };
        var share = new Option<double>("--unnecessary-share") { Description = "share of unnecessary (correct but useless) lines in SFT solutions, in [0, 1]", DefaultValueFactory = _ => LabTaskOptions.Default.UnnecessaryLineShare };
        var minOps = new Option<int>("--min-ops") { Description = "fewest operations per problem (difficulty)", DefaultValueFactory = _ => LabTaskOptions.Default.MinOperations };
        var maxOps = new Option<int>("--max-ops") { Description = "most operations per problem (difficulty)", DefaultValueFactory = _ => LabTaskOptions.Default.MaxOperations };
        var command = new Command("lab", "The lab's synthetic multi-step arithmetic task: sft.jsonl (prompt, response), train.jsonl and test.jsonl (question, answer).");
        foreach (var o in new Option[] { output, sft, train, test, seed, share, minOps, maxOps }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var o = parse.InvocationConfiguration.Output;
            var e = parse.InvocationConfiguration.Error;
            int nTrain = parse.GetValue(train), nTest = parse.GetValue(test), nSft = parse.GetValue(sft) ?? nTrain;
            foreach (var (name, value) in new[] { ("--sft", nSft), ("--train", nTrain), ("--test", nTest) })
                if (value < 0) { e.WriteLine($"data lab: {name} is {value}; expected an integer ≥ 0"); return 2; }
            LabDataSummary s;
            try
            {
                s = LabDataExport.Write(parse.GetValue(output)!, nSft, nTrain, nTest, LabTaskOptions.Default with
                {
                    Seed = parse.GetValue(seed),
                    UnnecessaryLineShare = parse.GetValue(share),
                    MinOperations = parse.GetValue(minOps),
                    MaxOperations = parse.GetValue(maxOps),
                });
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or IOException)
            {
                e.WriteLine($"data lab: {ex.Message}");
                return 2;
            }
            o.WriteLine($"wrote {s.Sft} SFT examples to {s.SftPath}");
            o.WriteLine($"wrote {s.Train} RL prompts to {s.TrainPath}");
            o.WriteLine($"wrote {s.Test} held-out problems to {s.TestPath} (and as SFT rows to {s.SftTestPath})");
            return 0;
        });
        return command;
    }
}
