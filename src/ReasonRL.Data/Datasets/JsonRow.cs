// JsonRow: strict field access on one parsed JSONL row, turning every schema violation into a
// DatasetFormatException that names the file, line and field. Shared by the GSM8K, MATH and
// step-labelled / outcome-labelled loaders. A row bound to a schema (WithSchema) appends the schema the
// loader expected and the fields the row has to every error. Not a general JSON helper: it knows only the shapes those
// datasets use (string, int-or-null, bool, and the raw element for nested formats).
using System.Text.Json;

namespace ReasonRL.Data.Datasets;

internal readonly struct JsonRow
{
    private readonly JsonElement _root;
    private readonly string? _schema;

    private JsonRow(string path, long line, JsonElement root, string? schema = null)
    {
        Path = path;
        Line = line;
        _root = root;
        _schema = schema;
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

    public DatasetFormatException Error(string field, string problem) =>
        new(Path, Line, field, _schema is null ? problem : $"{problem} (expected {_schema}; the row has {FieldList()})");

    /// <summary>The same row, its errors now saying which schema was expected (e.g. "GSM8K {…}").</summary>
    public JsonRow WithSchema(string schema) => new(Path, Line, _root, schema);

    /// <summary>True when the row has <paramref name="field"/>, even as null.</summary>
    public bool HasKey(string field) => _root.TryGetProperty(field, out _);

    /// <summary>The row's field names, e.g. "fields question, answer" (or "no fields").</summary>
    public string FieldList()
    {
        var names = _root.EnumerateObject().Select(p => p.Name).ToList();
        return names.Count == 0 ? "no fields" : "fields " + string.Join(", ", names);
    }

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

    /// <summary>The row's root object (for nested formats; name fields in errors with <see cref="Error"/>).</summary>
    public JsonElement Root => _root;

    /// <summary>True when <paramref name="field"/> is present and not null.</summary>
    public bool Has(string field) => _root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null;

    /// <summary>An optional boolean field (absent or null → null).</summary>
    public bool? OptionalBool(string field)
    {
        if (!_root.TryGetProperty(field, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Error(field, $"expected true, false or null, found {value.ValueKind}");
        return value.GetBoolean();
    }

    /// <summary>A required boolean field.</summary>
    public bool RequiredBool(string field) =>
        _root.TryGetProperty(field, out _) ? OptionalBool(field) ?? throw Error(field, "expected true or false, found null") : throw Error(field, "missing (expected true or false)");
}
