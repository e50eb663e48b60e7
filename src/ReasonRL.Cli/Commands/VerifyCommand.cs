// `reasonrl verify`: grade one pair (--pred/--gold) or a JSONL file of labelled pairs (--cases), under the
// grading conventions that VerifierFlags reads (--no-number-words, --decimal-rounding N, …).
// Thin: parsing options and printing; grading is ReasonRL.Verifier (MathVerifier, VerifierEvaluation).
// With --json the last line printed is one JSON object: n, accuracy, false_positive,
// false_negative, unverifiable, pairs_per_second, p50_ms, p99_ms, max_ms.
using ReasonRL.Verifier;
using ReasonRL.Verifier.Evaluation;
using Spectre.Console;
using System.CommandLine;
using System.Text.Json;

namespace ReasonRL.Cli.Commands;

internal static class VerifyCommand
{
    public static Command Create()
    {
        var pred = new Option<string?>("--pred") { Description = "Model solution or answer text (with --gold)." };
        var gold = new Option<string?>("--gold") { Description = "Gold answer (or a whole GSM8K-style solution)." };
        var cases = new Option<FileInfo?>("--cases") { Description = "JSONL file of labelled pairs to grade." };
        var predField = new Option<string>("--pred-field") { Description = "Field holding the prediction.", DefaultValueFactory = _ => "pred" };
        var goldField = new Option<string>("--gold-field") { Description = "Field holding the gold answer.", DefaultValueFactory = _ => "gold" };
        var labelField = new Option<string>("--label-field") { Description = "Field holding the label (bool or \"True\"/\"False\").", DefaultValueFactory = _ => "equal" };
        var json = new Option<bool>("--json") { Description = "Print a JSON summary as the last line." };
        var show = new Option<int>("--show") { Description = "How many disagreements to print (0..1000).", DefaultValueFactory = _ => 10 };
        var conventions = new VerifierFlags();

        var cmd = new Command("verify", "Grade a math answer against a gold answer (Correct / Incorrect / Unverifiable).");
        foreach (var o in new Option[] { pred, gold, cases, predField, goldField, labelField, json, show }) cmd.Options.Add(o);
        conventions.AddTo(cmd);
        cmd.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
            var options = conventions.Read(parseResult, error, "verify");
            if (options is null) return 2;
            var file = parseResult.GetValue(cases);
            if (file is not null)
            {
                return GradeFile(file, parseResult.GetValue(predField)!, parseResult.GetValue(goldField)!,
                    parseResult.GetValue(labelField)!, options, parseResult.GetValue(json), Math.Clamp(parseResult.GetValue(show), 0, 1000),
                    output, error, console);
            }
            var p = parseResult.GetValue(pred);
            var g = parseResult.GetValue(gold);
            if (p is null || g is null)
            {
                error.WriteLine("verify: give --pred TEXT and --gold TEXT, or --cases FILE.jsonl");
                return 2;
            }
            var r = MathVerifier.Verify(p, g, options);
            if (parseResult.GetValue(json))
            {
                output.WriteLine(OneResultJson(r));
                return 0;
            }
            var table = new Table().AddColumn("").AddColumn("prediction").AddColumn("gold");
            table.AddRow("extracted", Markup.Escape(r.ExtractedAnswer ?? "(none)"), Markup.Escape(r.ExtractedGold ?? "(none)"));
            table.AddRow("normalised", Markup.Escape(r.NormalizedAnswer ?? "(unparsed)"), Markup.Escape(r.NormalizedGold ?? "(unparsed)"));
            console.Write(table);
            output.WriteLine($"verdict: {r.Verdict}");
            output.WriteLine($"reason: {r.Reason}");
            output.WriteLine($"elapsed: {r.Elapsed.TotalMilliseconds.ToString("F3", Inv)} ms, work: {r.WorkSpent} of {options.WorkBudget} steps");
            return 0;
        });
        return cmd;
    }

    private static int GradeFile(FileInfo file, string predField, string goldField, string labelField, VerifyOptions options, bool json, int show,
        TextWriter output, TextWriter error, IAnsiConsole console)
    {
        if (!file.Exists)
        {
            error.WriteLine($"verify: --cases file not found: {file.FullName}");
            return 2;
        }
        List<LabelledCase> cases;
        try
        {
            cases = LabelledCaseReader.Read(file.FullName, predField, goldField, labelField);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            error.WriteLine($"verify: {e.Message}");
            return 2;
        }
        var s = VerifierEvaluation.Run(cases, options);
        foreach (var d in s.Disagreements.Take(show))
        {
            output.WriteLine($"[{d.Case.Id}] label={d.Case.Label} verdict={d.Result.Verdict} pred={Clip(d.Result.ExtractedAnswer)} gold={Clip(d.Result.ExtractedGold)} reason={d.Result.Reason}");
        }
        var table = new Table().AddColumn("n").AddColumn("accuracy").AddColumn("false +").AddColumn("false -")
            .AddColumn("unverifiable").AddColumn("pairs/s").AddColumn("p50 ms").AddColumn("p99 ms").AddColumn("max ms");
        table.AddRow(s.N.ToString(Inv), s.Accuracy.ToString("P2", Inv), s.FalsePositive.ToString(Inv), s.FalseNegative.ToString(Inv),
            s.Unverifiable.ToString(Inv), s.PairsPerSecond.ToString("F0", Inv), s.P50Ms.ToString("F4", Inv), s.P99Ms.ToString("F4", Inv), s.MaxMs.ToString("F3", Inv));
        console.Write(table);
        if (json)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, JsonOptions))
            {
                w.WriteStartObject();
                w.WriteNumber("n", s.N);
                w.WriteNumber("accuracy", s.Accuracy);
                w.WriteNumber("false_positive", s.FalsePositive);
                w.WriteNumber("false_negative", s.FalseNegative);
                w.WriteNumber("unverifiable", s.Unverifiable);
                w.WriteNumber("pairs_per_second", s.PairsPerSecond);
                w.WriteNumber("p50_ms", s.P50Ms);
                w.WriteNumber("p99_ms", s.P99Ms);
                w.WriteNumber("max_ms", s.MaxMs);
                w.WriteEndObject();
            }
            output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
        }
        return 0;
    }

    // Readable JSON: '+', '<' and '\' in LaTeX answers are not escaped as \uXXXX.
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string OneResultJson(VerifyResult r)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, JsonOptions))
        {
            w.WriteStartObject();
            w.WriteString("verdict", r.Verdict.ToString());
            w.WriteString("extracted_answer", r.ExtractedAnswer);
            w.WriteString("extracted_gold", r.ExtractedGold);
            w.WriteString("normalized_answer", r.NormalizedAnswer);
            w.WriteString("normalized_gold", r.NormalizedGold);
            w.WriteString("reason", r.Reason);
            w.WriteNumber("elapsed_ms", r.Elapsed.TotalMilliseconds);
            w.WriteNumber("work_steps", r.WorkSpent);
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static readonly System.Globalization.CultureInfo Inv = System.Globalization.CultureInfo.InvariantCulture;

    private static string Clip(string? s)
    {
        if (s is null) return "(none)";
        s = s.Replace('\n', ' ');
        return s.Length <= 80 ? s : s[..77] + "...";
    }
}
