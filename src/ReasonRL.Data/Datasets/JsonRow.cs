// JsonRow: strict field access on one parsed JSONL row, turning every schema violation into a
// DatasetFormatException that names the file, line and field. Shared by the GSM8K and MATH loaders.
// Not a general JSON helper: it knows only the shapes those datasets use (string, int-or-null).
using System.Text.Json;

namespace ReasonRL.Data.Datasets;

internal readonly struct JsonRow
{
    private readonly JsonElement _root;

    private JsonRow(string path, long line, JsonElement root)
    {
        Path = path;
        Line = line;
        _root = root;
    }

    public string Path { get; }

    public long Line { get; }

    /// <summary>Parses one line; it must be a JSON object.</summary>
    public static JsonRow Parse(string path, long line, string text, out JsonDocument document)
    {
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new DatasetFormatException(path, line, null, $"not valid JSON: {e.Message}", e);
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            var kind = document.RootElement.ValueKind;
            document.Dispose();
            throw new DatasetFormatException(path, line, null, $"expected a JSON object, found {kind}");
        }
        return new JsonRow(path, line, document.RootElement);
    }

    public DatasetFormatException Error(string field, string problem) => new(Path, Line, field, problem);

    /// <summary>A required string field.</summary>
    public string RequiredString(string field)
    {
        if (!_root.TryGetProperty(field, out var value)) throw Error(field, "missing (expected a string)");
        if (value.ValueKind != JsonValueKind.String) throw Error(field, $"expected a string, found {value.ValueKind}");
        return value.GetString()!;
    }

    /// <summary>An optional string field (absent or null → null).</summary>
    public string? OptionalString(string field)
    {
        if (!_root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.String) throw Error(field, $"expected a string or null, found {value.ValueKind}");
        return value.GetString();
    }

    /// <summary>A field that must be present and be an integer or null.</summary>
    public int? RequiredIntOrNull(string field)
    {
        if (!_root.TryGetProperty(field, out var value)) throw Error(field, "missing (expected an integer or null)");
        if (value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out int number))
        {
            throw Error(field, $"expected an integer or null, found {(value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.ValueKind.ToString())}");
        }
        return number;
    }
}
