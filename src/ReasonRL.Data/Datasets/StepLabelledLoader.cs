// StepLabelledLoader: reads PRM training data — one response per JSONL line with a label per step — in
// three formats (StepLabelledFormat), and writes the native one:
//   native        {"question": "…", "steps": ["…", …], "labels": [true, false, …]}   (labels may be 0/1;
//                 "prompt"/"completions" are accepted for "question"/"steps", as in TRL's stepwise sets;
//                 "ratings": [1, 0, -1, …] instead of "labels" for PRM800K-style ratings; optional
//                 "group" (best-of-N group, default the question) and "correct" (the final answer is right));
//   PRM800K       the released nested rows: question.problem; label.steps[i] takes completions[chosen_completion]
//                 (text, rating), else human_completion (a labeller's rewrite: positive), else the labelling
//                 stopped at this step — its first completion rated −1 is kept as the negative last step;
//                 ratings map by StepLabelledOptions (−1 neg, +1 pos, 0 / null → NeutralIsPositive);
//   Math-Shepherd {"input": "<question> Step 1: … ки\nStep 2: … ки", "label": the same text with "+" / "-"
//                 in place of each "ки"}: the steps are the texts before each tag (the question is the text
//                 before "Step 1:"); the label text must equal the input with each tag replaced by one sign.
// Every schema problem is a DatasetFormatException naming the file, line, field and what was expected.
// Not the trainer's tokenisation (Training: RewardModelExamples).
using System.Text;
using System.Text.Json;

namespace ReasonRL.Data.Datasets;

public static class StepLabelledLoader
{
    /// <summary>Every record of <paramref name="path"/> (".gz" allowed).</summary>
    public static IReadOnlyList<StepLabelledRecord> Load(string path, StepLabelledOptions? options = null)
    {
        options ??= StepLabelledOptions.Default;
        var records = new List<StepLabelledRecord>();
        foreach (var (line, text) in JsonlFile.ReadLines(path)) records.Add(Parse(path, line, text, options));
        if (records.Count == 0) throw new DatasetFormatException(path, 1, null, "no records; expected one JSON object per line");
        return records;
    }

    /// <summary>Parses one JSONL line.</summary>
    public static StepLabelledRecord Parse(string path, long line, string text, StepLabelledOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var row = JsonRow.Parse(path, line, text, out var document);
        using (document)
        {
            var format = options.Format;
            if (format == StepLabelledFormat.Auto)
            {
                format = row.Has("input") && row.Has("label") && row.Root.GetProperty("label").ValueKind == JsonValueKind.String ? StepLabelledFormat.MathShepherd
                    : row.Root.TryGetProperty("question", out var q) && q.ValueKind == JsonValueKind.Object ? StepLabelledFormat.Prm800k
                    : StepLabelledFormat.Native;
            }
            return format switch
            {
                StepLabelledFormat.Native => Native(row, options),
                StepLabelledFormat.Prm800k => Prm800k(row, options),
                StepLabelledFormat.MathShepherd => MathShepherd(row, options),
                _ => throw new ArgumentOutOfRangeException(nameof(options), format, "unknown format"),
            };
        }
    }

    /// <summary>Writes <paramref name="records"/> in the native format (atomically, via JsonlFile's temp + rename).</summary>
    public static void Write(string path, IEnumerable<StepLabelledRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        JsonlFile.Write(path, records.Select(r => new StepLabelledRow(r.Question, r.Steps, r.Labels, r.Group, r.Correct)), DatasetJsonContext.Default.StepLabelledRow);
    }

    /// <summary>A label from a PRM800K-style rating: 1 → true, −1 → false, 0 → NeutralIsPositive.</summary>
    public static bool FromRating(int rating, StepLabelledOptions options) => rating switch
    {
        1 => true,
        -1 => false,
        0 => options.NeutralIsPositive,
        _ => throw new ArgumentOutOfRangeException(nameof(rating), rating, "a rating is -1, 0 or 1"),
    };

    private static StepLabelledRecord Native(JsonRow row, StepLabelledOptions options)
    {
        string questionField = row.Has("question") ? "question" : "prompt";
        string question = row.Has(questionField) ? row.RequiredString(questionField) : throw row.Error("question", "missing (expected a string; \"prompt\" is accepted too)");
        string stepsField = row.Has("steps") ? "steps" : "completions";
        var steps = StringArray(row, stepsField, "\"completions\" is accepted too");
        List<bool> labels;
        if (row.Has("labels"))
        {
            labels = Array(row, "labels").Select((e, i) => e.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when e.TryGetInt32(out int v) && v is 0 or 1 => v == 1,
                _ => throw row.Error($"labels[{i}]", $"expected true/false or 1/0, found {e.GetRawText()} (use \"ratings\" for -1/0/1)"),
            }).ToList();
        }
        else if (row.Has("ratings"))
        {
            labels = Array(row, "ratings").Select((e, i) => e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) && v is -1 or 0 or 1
                ? FromRating(v, options)
                : throw row.Error($"ratings[{i}]", $"expected -1, 0 or 1, found {e.GetRawText()}")).ToList();
        }
        else
        {
            throw row.Error("labels", "missing (expected an array of true/false with one label per step, or \"ratings\" of -1/0/1)");
        }
        if (labels.Count != steps.Count)
            throw row.Error(row.Has("labels") ? "labels" : "ratings", $"{labels.Count} labels for {steps.Count} steps; expected one per step");
        return new StepLabelledRecord(question, steps, labels, row.OptionalString("group") ?? question, row.OptionalBool("correct"));
    }

    private static StepLabelledRecord Prm800k(JsonRow row, StepLabelledOptions options)
    {
        var q = Object(row, row.Root, "question", "question");
        string question = StringOf(row, q, "problem", "question.problem");
        var label = Object(row, row.Root, "label", "label");
        if (!label.TryGetProperty("steps", out var stepsElement) || stepsElement.ValueKind != JsonValueKind.Array)
            throw row.Error("label.steps", "missing (expected an array of rated steps)");
        var steps = new List<string>();
        var labels = new List<bool>();
        int i = 0;
        foreach (var step in stepsElement.EnumerateArray())
        {
            string where = $"label.steps[{i++}]";
            if (step.ValueKind != JsonValueKind.Object) throw row.Error(where, $"expected an object, found {step.ValueKind}");
            var completions = step.TryGetProperty("completions", out var c) && c.ValueKind == JsonValueKind.Array ? c.EnumerateArray().ToList() : [];
            if (step.TryGetProperty("chosen_completion", out var chosen) && chosen.ValueKind == JsonValueKind.Number)
            {
                if (!chosen.TryGetInt32(out int k) || k < 0 || k >= completions.Count)
                    throw row.Error($"{where}.chosen_completion", $"expected an index into the {completions.Count} completions, found {chosen.GetRawText()}");
                steps.Add(StringOf(row, completions[k], "text", $"{where}.completions[{k}].text"));
                labels.Add(FromRating(Rating(row, completions[k], $"{where}.completions[{k}].rating"), options));
                continue;
            }
            if (step.TryGetProperty("human_completion", out var human) && human.ValueKind == JsonValueKind.Object)
            {
                steps.Add(StringOf(row, human, "text", $"{where}.human_completion.text"));
                labels.Add(true);
                continue;
            }
            // No completion chosen and no rewrite: the labelling ended here. Keep the step found wrong, if any.
            int wrong = completions.FindIndex(e => e.ValueKind == JsonValueKind.Object && Rating(row, e, where) == -1);
            if (wrong >= 0)
            {
                steps.Add(StringOf(row, completions[wrong], "text", $"{where}.completions[{wrong}].text"));
                labels.Add(false);
            }
            break;
        }
        if (steps.Count == 0) throw row.Error("label.steps", "no rated step (expected at least one step with a chosen, human or -1-rated completion)");
        return new StepLabelledRecord(question, steps, labels, question, null);
    }

    private static StepLabelledRecord MathShepherd(JsonRow row, StepLabelledOptions options)
    {
        string input = row.RequiredString("input"), label = row.RequiredString("label");
        string tag = options.MathShepherdTag;
        var segments = input.Split(tag);
        if (segments.Length < 2) throw row.Error("input", $"no step tag \"{tag}\"; expected each step to end with it");
        var labels = new List<bool>();
        int pos = 0;
        for (int k = 0; k < segments.Length; k++)
        {
            if (string.CompareOrdinal(label, pos, segments[k], 0, segments[k].Length) != 0 || pos + segments[k].Length > label.Length)
                throw row.Error("label", $"does not match \"input\" with each \"{tag}\" replaced by + or -; they differ in the text before tag {k + 1} (label character {pos})");
            pos += segments[k].Length;
            if (k == segments.Length - 1) break;
            char sign = pos < label.Length ? label[pos] : '\0';
            if (sign is not ('+' or '-'))
                throw row.Error("label", $"expected + or - at character {pos} (in place of tag {k + 1}), found {(pos < label.Length ? $"'{sign}'" : "the end of the text")}");
            labels.Add(sign == '+');
            pos++;
        }
        if (pos != label.Length) throw row.Error("label", $"has {label.Length - pos} extra character(s) after the last tag");
        if (segments[^1].Trim().Length > 0) throw row.Error("input", $"text after the last \"{tag}\" (\"{Shorten(segments[^1].Trim())}\"); every step must end with the tag");
        int first = segments[0].IndexOf("Step 1:", StringComparison.Ordinal);
        if (first < 0) throw row.Error("input", "expected \"Step 1:\" after the question, before the first tag");
        string question = segments[0][..first].Trim();
        var steps = new List<string> { segments[0][first..].Trim() };
        for (int k = 1; k < segments.Length - 1; k++) steps.Add(segments[k].Trim());
        return new StepLabelledRecord(question, steps, labels, question, null);
    }

    private static int Rating(JsonRow row, JsonElement completion, string where)
    {
        if (!completion.TryGetProperty("rating", out var r) || r.ValueKind == JsonValueKind.Null) return 0;   // unrated: neutral
        if (r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out int v) && v is -1 or 0 or 1) return v;
        throw row.Error(where.EndsWith(".rating", StringComparison.Ordinal) ? where : where + ".rating", $"expected -1, 0, 1 or null, found {r.GetRawText()}");
    }

    private static List<JsonElement> Array(JsonRow row, string field)
    {
        var e = row.Root.GetProperty(field);
        if (e.ValueKind != JsonValueKind.Array) throw row.Error(field, $"expected an array, found {e.ValueKind}");
        return e.EnumerateArray().ToList();
    }

    private static List<string> StringArray(JsonRow row, string field, string note)
    {
        if (!row.Has(field)) throw row.Error(field, $"missing (expected an array of step strings; {note})");
        var items = Array(row, field);
        if (items.Count == 0) throw row.Error(field, "empty; expected at least one step");
        return items.Select((e, i) => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw row.Error($"{field}[{i}]", $"expected a string, found {e.ValueKind}")).ToList();
    }

    private static JsonElement Object(JsonRow row, JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.Object)
            throw row.Error(where, $"expected an object, found {(parent.TryGetProperty(name, out var f) ? f.ValueKind.ToString() : "nothing")}");
        return e;
    }

    private static string StringOf(JsonRow row, JsonElement parent, string name, string where)
    {
        if (!parent.TryGetProperty(name, out var e) || e.ValueKind != JsonValueKind.String)
            throw row.Error(where, $"expected a string, found {(parent.TryGetProperty(name, out var f) ? f.ValueKind.ToString() : "nothing")}");
        return e.GetString()!;
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
