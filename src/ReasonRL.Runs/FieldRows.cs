// FieldRows: reads JSONL rows whose field names come from a config (data.question_field, …): each
// named field must be a string (numbers are accepted as their JSON text, for gold answers); a
// missing or mistyped field is a DatasetFormatException naming the file, line and field.
// What it is not: the typed dataset loaders (Gsm8kLoader, MathLoader) with fixed schemas.
using ReasonRL.Data.Datasets;
using ReasonRL.Training;
using System.Text.Json;

namespace ReasonRL.Runs;

/// <summary>Reads configured string fields from JSONL.</summary>
public static class FieldRows
{
    /// <summary>For each row, the values of <paramref name="required"/> (must be present) then <paramref name="optional"/> (null when absent or null), in order.</summary>
    public static IReadOnlyList<(long Line, string?[] Values)> Read(string path, IReadOnlyList<string> required, IReadOnlyList<string>? optional = null)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: file not found", path);
        optional ??= [];
        var rows = new List<(long, string?[])>();
        foreach (var (line, text) in JsonlFile.ReadLines(path))
        {
            JsonDocument doc;
            try { doc = JsonDocument.Parse(text); }
            catch (JsonException e) { throw new DatasetFormatException(path, line, null, $"not valid JSON: {e.Message}", e); }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new DatasetFormatException(path, line, null, $"expected a JSON object, found {doc.RootElement.ValueKind}");
                var values = new string?[required.Count + optional.Count];
                for (int i = 0; i < values.Length; i++)
                {
                    bool isRequired = i < required.Count;
                    string field = isRequired ? required[i] : optional[i - required.Count];
                    if (!doc.RootElement.TryGetProperty(field, out var v) || v.ValueKind == JsonValueKind.Null)
                    {
                        if (isRequired) throw new DatasetFormatException(path, line, field, "missing (expected a string)");
                        continue;
                    }
                    values[i] = v.ValueKind switch
                    {
                        JsonValueKind.String => v.GetString(),
                        JsonValueKind.Number => v.GetRawText(),
                        _ => throw new DatasetFormatException(path, line, field, $"expected a string or a number, found {v.ValueKind}"),
                    };
                }
                rows.Add((line, values));
            }
        }
        if (rows.Count == 0) throw new DatasetFormatException(path, 0, null, "no rows (the file is empty)");
        return rows;
    }
}
