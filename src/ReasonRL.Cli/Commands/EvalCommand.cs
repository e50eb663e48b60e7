// `reasonrl eval --model DIR --data FILE --format gsm8k|math --out results.jsonl [--mode greedy|maj@k|pass@k|bon@k]
// [--rm DIR [--rm-convention step_end|separator|math_shepherd]] [--agg min|last|product] [--limit N] [--batch B] [--max-new-tokens N] [--template NAME]
// [--shots FILE --shot-count N] [--temperature T] [--top-p P] [--top-k K] [--n N] [--seed S] [--stop STR]...`:
// loads a Hugging Face model directory (config.json + safetensors + tokenizer.json), evaluates it on
// GSM8K or MATH JSONL with a live progress bar, writes per-question JSONL and a summary JSON (atomic;
// an interrupted run resumes from <out>.partial) and prints the summary table, overall and per MATH
// subject and level. Logic lives in ReasonRL.Training.Evaluation; this file parses, wires and prints.
using ReasonRL.Data.Datasets;
using ReasonRL.Models;
using ReasonRL.Rewards.Sources;
using ReasonRL.Tensors;
using ReasonRL.Text;
using ReasonRL.Text.Chat;
using ReasonRL.Training.Evaluation;
using Spectre.Console;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;

namespace ReasonRL.Cli.Commands;

internal static class EvalCommand
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Hugging Face model directory (config.json, safetensors, tokenizer.json)", Required = true };
        var data = new Option<string>("--data") { Description = "evaluation JSONL (or .jsonl.gz)", Required = true };
        var format = new Option<string>("--format") { Description = "data schema: gsm8k ({question, answer '#### N'}) or math ({problem, solution, answer, subject, level})", Required = true };
        var outPath = new Option<string>("--out") { Description = "per-question results JSONL; the summary goes to <out without .jsonl>.summary.json", Required = true };
        var mode = new Option<string>("--mode") { Description = "greedy | maj@k | pass@k | bon@k (k >= 1)", DefaultValueFactory = _ => "greedy" };
        var rm = new Option<string?>("--rm") { Description = "reward model directory (ORM or PRM) ranking responses for bon@k" };
        var convention = new Option<string>("--rm-convention") { Description = "PRM: where step scores are read: step_end | separator | math_shepherd", DefaultValueFactory = _ => "step_end" };
        var agg = new Option<string>("--agg") { Description = "bon@k with a PRM: step scores → response score by min | last | product", DefaultValueFactory = _ => "min" };
        var limit = new Option<int?>("--limit") { Description = "evaluate only the first N questions" };
        var batch = new Option<int>("--batch") { Description = "sequences decoded together (a question's samples stay in one batch)", DefaultValueFactory = _ => 32 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "most new tokens per response", DefaultValueFactory = _ => 512 };
        var template = new Option<string>("--template") { Description = $"prompt template: {string.Join(" | ", EvalPromptBuilder.Names)}", DefaultValueFactory = _ => "qwen-math-cot" };
        var shots = new Option<string?>("--shots") { Description = "few-shot template: JSONL (same --format) whose first --shot-count rows are the worked examples" };
        var shotCount = new Option<int>("--shot-count") { Description = "few-shot template: number of worked examples", DefaultValueFactory = _ => 4 };
        var temperature = new Option<float>("--temperature") { Description = "sampling temperature for maj/pass/bon (greedy always uses 0)", DefaultValueFactory = _ => 0.7f };
        var topP = new Option<float>("--top-p") { Description = "nucleus probability for sampled modes; 1 = off", DefaultValueFactory = _ => 1f };
        var topK = new Option<int>("--top-k") { Description = "top-k for sampled modes; 0 = off", DefaultValueFactory = _ => 0 };
        var n = new Option<int?>("--n") { Description = "pass@k: samples per question n >= k for the unbiased estimator (default k)" };
        var seed = new Option<int>("--seed") { Description = "sample j of question i draws from a stream seeded by (seed, i, j)", DefaultValueFactory = _ => 0 };
        var stop = new Option<string[]>("--stop") { Description = "extra stop string (repeatable); the tokenizer's EOS ids always stop", DefaultValueFactory = _ => [] };
        var maxModelGib = MaxModelGibOption.Create();
        var command = new Command("eval", "Evaluate a model on GSM8K or MATH: greedy, maj@k, pass@k or best-of-N with a reward model.");
        foreach (var o in new Option[] { model, data, format, outPath, mode, rm, convention, agg, limit, batch, maxNew, template, shots, shotCount, temperature, topP, topK, n, seed, stop, maxModelGib })
            command.Options.Add(o);
        command.SetAction((parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            EvalOptions options;
            EvalDataFormat dataFormat;
            PrmConvention prmConvention;
            try
            {
                dataFormat = EvalProblems.ParseFormat(parse.GetValue(format)!);
                prmConvention = LoadedRewardModel.ParseConvention(parse.GetValue(convention)!);
                options = new EvalOptions
                {
                    Mode = EvalMode.Parse(parse.GetValue(mode)!),
                    PassSamples = parse.GetValue(n),
                    BatchSize = parse.GetValue(batch),
                    MaxNewTokens = parse.GetValue(maxNew),
                    Temperature = parse.GetValue(temperature),
                    TopP = parse.GetValue(topP),
                    TopK = parse.GetValue(topK),
                    Seed = parse.GetValue(seed),
                    StopStrings = parse.GetValue(stop)!,
                    Aggregation = BestOfN.ParseAggregation(parse.GetValue(agg)!),
                }.Validate();
                if (parse.GetValue(limit) is < 1) throw new ArgumentException($"--limit must be >= 1, got {parse.GetValue(limit)}");
                if (options.Mode.Kind == EvalModeKind.BestOfK && parse.GetValue(rm) is null) throw new ArgumentException($"{options.Mode} needs a reward model: --rm DIR");
                if (options.Mode.Kind != EvalModeKind.BestOfK && parse.GetValue(rm) is not null) throw new ArgumentException($"--rm is only used by bon@k, not {options.Mode}");
            }
            catch (ArgumentException e)
            {
                error.WriteLine($"eval: {e.Message}");
                return Task.FromResult(2);
            }
            if (!MaxModelGibOption.TryGetBytes(parse, maxModelGib, "eval", error, out long? maxBytes)) return Task.FromResult(2);
            return Task.FromResult(Run(parse, options, dataFormat, prmConvention, console, error, ct,
                (model, data, outPath, rm, limit, template, shots, shotCount), maxBytes));
        });
        return command;
    }

    private static int Run(ParseResult parse, EvalOptions options, EvalDataFormat dataFormat, PrmConvention prmConvention, IAnsiConsole console, TextWriter error, CancellationToken ct,
        (Option<string> Model, Option<string> Data, Option<string> Out, Option<string?> Rm, Option<int?> Limit, Option<string> Template, Option<string?> Shots, Option<int> ShotCount) o,
        long? maxModelBytes)
    {
        string dir = parse.GetValue(o.Model)!, dataPath = parse.GetValue(o.Data)!, outPath = parse.GetValue(o.Out)!;
        IReadOnlyList<EvalProblem> problems;
        EvalPromptBuilder prompts;
        ITokenizer tokenizer;
        HfCheckpoint checkpoint;
        LoadedRewardModel? rewardModel = null;
        try
        {
            problems = EvalProblems.Load(dataPath, dataFormat, parse.GetValue(o.Limit));
            MaxModelGibOption.CheckDirectories(maxModelBytes, dir, parse.GetValue(o.Rm));
            tokenizer = TokenizerLoader.Load(dir);
            string? shotsPath = parse.GetValue(o.Shots);
            var examples = shotsPath is null ? null : EvalPromptBuilder.ShotsFrom(EvalProblems.Load(shotsPath, dataFormat), parse.GetValue(o.ShotCount));
            string templateName = parse.GetValue(o.Template)!;
            prompts = new EvalPromptBuilder(tokenizer, templateName, examples,
                templateName == EvalPromptBuilder.ModelChatName ? ChatTemplate.FromFolderOrFallback(dir) : null);
            checkpoint = HfCheckpoint.Load(dir, maxModelBytes: maxModelBytes);
            if (parse.GetValue(o.Rm) is { } rmDir)
                rewardModel = LoadedRewardModel.Open(rmDir, new PrmScoringOptions { Convention = prmConvention }, fallbackTokenizer: tokenizer);
        }
        catch (Exception e) when (e is DatasetFormatException or IOException or ArgumentException or InvalidDataException
            or TokenizerFormatException or ChatTemplateException or HfCheckpointException or HfConfigException or SafeTensorsFormatException)
        {
            error.WriteLine($"eval: {e.Message}");
            return 2;
        }
        using var rmOwner = rewardModel;
        using var transformer = new Transformer(checkpoint.Config, GemmFactory.Create(GemmKind.Managed));
        transformer.LoadParameters(checkpoint.Floats);
        var runner = new EvalRunner(transformer, tokenizer, prompts, options, rewardModel?.Source);
        EvalResultsFile results;
        try
        {
            results = EvalResultsFile.Open(outPath, problems, options);
        }
        catch (InvalidDataException e)
        {
            error.WriteLine($"eval: {e.Message}");
            return 2;
        }
        using (results)
        {
            console.MarkupLineInterpolated($"eval: {problems.Count} question(s) from {dataPath} ({dataFormat.ToString().ToLowerInvariant()}), mode {options.Mode}, {options.SamplesPerQuestion} response(s) each, template {prompts.Name}, batch {options.BatchSize}, max new tokens {options.MaxNewTokens}");
            if (rewardModel is not null)
                console.MarkupLineInterpolated($"reward model: {rewardModel.Model.Kind.ToString().ToUpperInvariant()} from {parse.GetValue(o.Rm)}{(rewardModel.Model.Kind == RewardModelKind.Prm ? $", convention {prmConvention}, step scores aggregated by {options.Aggregation.ToString().ToLowerInvariant()}" : "")}");
            var done = results.Resumed.Select(r => r.Index).ToHashSet();
            if (done.Count > 0) console.MarkupLineInterpolated($"resuming: {done.Count} question(s) already in {results.PartialPath}");
            var todo = problems.Where(p => !done.Contains(p.Index)).ToList();
            var clock = Stopwatch.StartNew();
            IReadOnlyList<EvalRecord> fresh = [];
            console.Progress().AutoClear(false).HideCompleted(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("questions", maxValue: Math.Max(1, todo.Count));
                    fresh = runner.Run(todo, results.Append, p =>
                    {
                        task.Value = p.QuestionsDone;
                        task.Description = p.Running > 0
                            ? $"questions {p.QuestionsDone}/{p.QuestionsTotal} · decode step {p.DecodeStep}, {p.Running} running"
                            : $"questions {p.QuestionsDone}/{p.QuestionsTotal}";
                    }, ct);
                    task.Value = task.MaxValue;
                });
            double seconds = clock.Elapsed.TotalSeconds;
            var summary = results.Complete(results.Resumed.Concat(fresh), options.Mode.ToString());
            PrintSummary(console, summary);
            int tokens = fresh.Sum(r => r.Responses.Sum(x => x.Tokens));
            console.MarkupLineInterpolated($"{fresh.Count} question(s) in {seconds.ToString("F1", Inv)} s ({tokens} new tokens, {(tokens / Math.Max(seconds, 1e-9)).ToString("F0", Inv)} tokens/s) → {results.OutPath}, {results.SummaryPath}");
        }
        return 0;
    }

    private static void PrintSummary(IAnsiConsole console, EvalSummary s)
    {
        var table = new Table().AddColumns("group", "questions", "score", $"accuracy ({s.Mode})");
        void Row(EvalGroup g) => table.AddRow(Markup.Escape(g.Name), g.Questions.ToString(Inv), g.ScoreSum.ToString("0.##", Inv), g.Accuracy.ToString("P2", Inv));
        Row(s.Overall);
        foreach (var g in s.Subjects) Row(g);
        foreach (var g in s.Levels) Row(g);
        console.Write(table);
        console.MarkupLineInterpolated($"responses {s.Responses}: per-response accuracy {s.ResponseAccuracy.ToString("P2", Inv)}, answer extracted {s.AnswerRate.ToString("P1", Inv)}, unverifiable {s.UnverifiableRate.ToString("P1", Inv)}, truncated {s.TruncationRate.ToString("P1", Inv)}, mean length {s.MeanResponseTokens.ToString("F1", Inv)} tokens");
    }
}
