// LabelledCase and LabelledCaseReader: one (prediction, gold, label) row of a JSONL evaluation
// file, read with System.Text.Json's DOM (no reflection-based serialisation). Labels may be JSON
// booleans or the strings "True"/"False". A row's "mode" (public_cases.jsonl) picks how the two
// strings are read — see CaseModes. Not a grader: VerifierEvaluation grades.
using System.Text.Json;

namespace ReasonRL.Verifier.Evaluation;

/// <summary>One labelled pair.</summary>
/// <remarks>Strict, Precision and AllowSetRelationComparison are the grader options recorded in the row
/// ("options": strict, precision, allow_set_relation_comp); null when the row records none.</remarks>
public sealed record LabelledCase(int Line, string Id, string Prediction, string Gold, bool Label, string? Mode, bool Suspect,
    bool LatexOnly = false, bool? Strict = null, int? Precision = null, bool? AllowSetRelationComparison = null);

/// <summary>Reads labelled pairs from JSONL.</summary>
public static class LabelledCaseReader
{
    /// <summary>Reads every non-empty line of <paramref name="path"/>; throws FormatException naming
    /// the file, line and field when a row is malformed.</summary>
    public static List<LabelledCase> Read(string path, string predField = "pred", string goldField = "gold", string labelField = "equal")
    {
        var cases = new List<LabelledCase>();
        int lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            string pred = String(root, predField, path, lineNo);
            string gold = String(root, goldField, path, lineNo);
            bool label = Label(root, labelField, path, lineNo);
            string id = root.TryGetProperty("id", out var idEl) && idEl.ValueKind == JsonValueKind.String ? idEl.GetString()! : $"line{lineNo}";
            string? mode = root.TryGetProperty("mode", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            bool suspect = root.TryGetProperty("suspect", out var s) && s.ValueKind == JsonValueKind.True;
            bool latexOnly = root.TryGetProperty("options", out var opts) && opts.ValueKind == JsonValueKind.Object
                && opts.TryGetProperty("match_types", out var mt) && mt.ValueKind == JsonValueKind.Array
                && !mt.EnumerateArray().Any(x => x.ValueKind == JsonValueKind.String && x.GetString() == "expr");
            bool hasOpts = root.TryGetProperty("options", out var o) && o.ValueKind == JsonValueKind.Object;
            bool? strict = hasOpts && o.TryGetProperty("strict", out var st) && st.ValueKind is JsonValueKind.True or JsonValueKind.False ? st.GetBoolean() : null;
            int? precision = hasOpts && o.TryGetProperty("precision", out var pr) && pr.ValueKind == JsonValueKind.Number ? pr.GetInt32() : null;
            bool? setRel = hasOpts && o.TryGetProperty("allow_set_relation_comp", out var sr) && sr.ValueKind is JsonValueKind.True or JsonValueKind.False ? sr.GetBoolean() : null;
            cases.Add(new LabelledCase(lineNo, id, pred, gold, label, mode, suspect, latexOnly, strict, precision, setRel));
        }
        return cases;
    }

    private static string String(JsonElement root, string field, string path, int line)
    {
        if (!root.TryGetProperty(field, out var el))
            throw new FormatException($"{path}:{line}: field '{field}' missing (expected a string)");
        return el.ValueKind switch
        {
            JsonValueKind.String => el.GetString()!,
            JsonValueKind.Number => el.GetRawText(),
            _ => throw new FormatException($"{path}:{line}: field '{field}' is {el.ValueKind}, expected a string"),
        };
    }

    private static bool Label(JsonElement root, string field, string path, int line)
    {
        if (!root.TryGetProperty(field, out var el))
            throw new FormatException($"{path}:{line}: label field '{field}' missing (expected true/false or \"True\"/\"False\")");
        return el.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when string.Equals(el.GetString(), "true", StringComparison.OrdinalIgnoreCase) => true,
            JsonValueKind.String when string.Equals(el.GetString(), "false", StringComparison.OrdinalIgnoreCase) => false,
            _ => throw new FormatException($"{path}:{line}: label field '{field}' is {el.GetRawText()}, expected true/false or \"True\"/\"False\""),
        };
    }
}

/// <summary>How a public_cases.jsonl mode maps onto VerifyOptions.</summary>
public static class CaseModes
{
    /// <summary>hendrycks.is_equiv compares two answers (no extraction): both are read as answers.
    /// Every Math-Verify/AReaL/TRL mode extracts from the prediction and (when it looks like a
    /// solution) from the gold string: the defaults.</summary>
    /// <param name="latexOnly">The case's options list only LaTeX extraction (match_types without
    /// "expr"): then plain text is not an answer — no last-number fallback, no bare short strings.</param>
    public static VerifyOptions OptionsFor(string? mode, VerifyOptions baseOptions, bool latexOnly = false) => mode switch
    {
        "hendrycks.is_equiv" => baseOptions with { Prediction = AnswerSource.Answer, Gold = AnswerSource.Answer },
        _ when latexOnly => baseOptions with { FallbackToLastNumber = false, ShortAnswerLength = 0 },
        _ => baseOptions,
    };

    /// <summary>The options a row was graded with: its mode (above) plus its recorded grader options, each
    /// through a documented VerifyOptions member — strict → Strict, precision → DecimalRounding,
    /// allow_set_relation_comp → AllowSetRelationComparison; hendrycks.is_equiv compares normalised
    /// strings, so its comma lists are ordered (OrderedLists).</summary>
    public static VerifyOptions OptionsFor(LabelledCase c, VerifyOptions baseOptions)
    {
        var o = OptionsFor(c.Mode, baseOptions, c.LatexOnly);
        if (c.Mode == "hendrycks.is_equiv") o = o with { OrderedLists = true };
        if (c.Strict is { } strict) o = o with { Strict = strict };
        if (c.Precision is { } precision) o = o with { DecimalRounding = precision };
        if (c.AllowSetRelationComparison is { } setRel) o = o with { AllowSetRelationComparison = setRel };
        return o;
    }
}
