// RolloutLine: one saved rollout read from a JSONL line, with strict field checks whose errors name
// the line and field. Fields: prompt (string, required), response (string, required), gold (string
// or null), step_scores (array of numbers, optional: raw learned score per step, replayed instead of
// running a PRM), orm_score (number, optional: replayed ORM score), verdict (optional: "correct" |
// "incorrect" | "unverifiable", replayed instead of running the verifier). Other fields are kept and
// copied to the output unchanged. Not the scorer.
using ReasonRL.Rewards.Sources;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReasonRL.Rewards.Offline;

public sealed record RolloutLine(
    JsonObject Json,
    string Prompt,
    string Response,
    string? Gold,
    IReadOnlyList<double>? StepScores,
    double? OrmScore,
    SuccessVerdict? Verdict)
{
    /// <summary>Parses one JSONL line.</summary>
    /// <exception cref="FormatException">Message: "line N: field 'x' …" with the expected type.</exception>
    public static RolloutLine Parse(string text, int lineNumber)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (JsonException e)
        {
            throw new FormatException($"line {lineNumber}: not valid JSON ({e.Message})");
        }
        if (node is not JsonObject json) throw new FormatException($"line {lineNumber}: expected a JSON object");
        return new RolloutLine(
            json,
            RequiredString(json, "prompt", lineNumber),
            RequiredString(json, "response", lineNumber),
            OptionalString(json, "gold", lineNumber),
            OptionalNumbers(json, "step_scores", lineNumber),
            OptionalNumber(json, "orm_score", lineNumber),
            OptionalVerdict(json, lineNumber));
    }

    private static string RequiredString(JsonObject json, string field, int line) =>
        OptionalString(json, field, line) ?? throw new FormatException($"line {line}: missing field '{field}' (a string)");

    private static string? OptionalString(JsonObject json, string field, int line)
    {
        if (!json.TryGetPropertyValue(field, out var node) || node is null) return null;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw new FormatException($"line {line}: field '{field}' must be a string, got {node.GetValueKind()}");
    }

    private static double? OptionalNumber(JsonObject json, string field, int line)
    {
        if (!json.TryGetPropertyValue(field, out var node) || node is null) return null;
        return node is JsonValue v && v.GetValueKind() == JsonValueKind.Number
            ? v.GetValue<double>()
            : throw new FormatException($"line {line}: field '{field}' must be a number, got {node.GetValueKind()}");
    }

    private static double[]? OptionalNumbers(JsonObject json, string field, int line)
    {
        if (!json.TryGetPropertyValue(field, out var node) || node is null) return null;
        if (node is not JsonArray array) throw new FormatException($"line {line}: field '{field}' must be an array of numbers, got {node.GetValueKind()}");
        var values = new double[array.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = array[i] is JsonValue v && v.GetValueKind() == JsonValueKind.Number
                ? v.GetValue<double>()
                : throw new FormatException($"line {line}: field '{field}'[{i}] must be a number, got {array[i]?.GetValueKind().ToString() ?? "null"}");
        }
        return values;
    }

    private static SuccessVerdict? OptionalVerdict(JsonObject json, int line)
    {
        var name = OptionalString(json, "verdict", line);
        if (name is null) return null;
        return SuccessVerdicts.TryParse(name)
            ?? throw new FormatException($"line {line}: field 'verdict' is '{name}'; expected correct, incorrect or unverifiable");
    }
}
