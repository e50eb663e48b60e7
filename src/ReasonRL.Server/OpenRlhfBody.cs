// OpenRlhfBody: a /get_reward body ({query[], prompts[], labels[]}, OpenRlhfIn's shape) read in one pass that only
// validates the JSON and records where each query, prompt and label lies in the body; the strings themselves are
// decoded later, per sample, by whichever verifier thread scores that sample (Query/Prompt/Label(i)).
// Why: decoding a 512-sample OpenRLHF body into strings took about as much CPU as verifying it (issue 16, profiled:
// ~10 ms to deserialise vs ~5 ms to verify 512 ~2 KB samples), and on the request's thread that was serial work in
// front of the verifier threads. The pass here is ~1.5 ms; decoding moves into the parallel loop.
// Same rules as deserialising OpenRlhfIn: exact snake_case field names, other fields ignored, a missing or null
// field is null, query items are strings (null → "query[i] is null"), prompt items strings or null (""), label items
// strings, numbers (kept exactly as written) or null; anything else is a JsonException naming the item. The body
// must be valid UTF-8 throughout.
// Not the location of the prompt (OpenRlhfQueries) and not scoring (RewardService).
using System.Text;
using System.Text.Json;

namespace ReasonRL.Server;

internal sealed class OpenRlhfBody
{
    private enum Kind : byte
    {
        Null,
        Text,
        EscapedText,
        Number,
    }

    /// <summary>Where one item lies in the body: the string's content without quotes, or a number's text.</summary>
    private readonly record struct Item(int Start, int Length, Kind Kind);

    private readonly byte[] body;
    private readonly Item[]? query;
    private readonly Item[]? prompts;
    private readonly Item[]? labels;

    private OpenRlhfBody(byte[] body, Item[]? query, Item[]? prompts, Item[]? labels)
    {
        this.body = body;
        this.query = query;
        this.prompts = prompts;
        this.labels = labels;
    }

    public bool HasQuery => query is not null;

    /// <summary>Items in query (0 when it is missing).</summary>
    public int Count => query?.Length ?? 0;

    /// <summary>Items in prompts, or null when it is missing.</summary>
    public int? PromptCount => prompts?.Length;

    /// <summary>Items in labels, or null when it is missing.</summary>
    public int? LabelCount => labels?.Length;

    /// <summary>The body's fields, or null when the body is JSON null.</summary>
    /// <exception cref="JsonException">Malformed JSON, not UTF-8, or a field or item of the wrong type.</exception>
    public static OpenRlhfBody? Parse(byte[] body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!System.Text.Unicode.Utf8.IsValid(body)) throw new JsonException("the body is not valid UTF-8");
        var reader = new Utf8JsonReader(body);
        if (!reader.Read()) throw new JsonException("empty body");
        if (reader.TokenType == JsonTokenType.Null) return End(ref reader, null);
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"the body is a JSON {reader.TokenType}; expected an object");
        Item[]? query = null, prompts = null, labels = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("query"u8)) query = List(ref reader, "query", number: false, nullItem: false);
            else if (reader.ValueTextEquals("prompts"u8)) prompts = List(ref reader, "prompts", number: false, nullItem: true);
            else if (reader.ValueTextEquals("labels"u8)) labels = List(ref reader, "labels", number: true, nullItem: true);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return End(ref reader, new OpenRlhfBody(body, query, prompts, labels));
    }

    // nothing may follow the root value (the reader throws on trailing content)
    private static OpenRlhfBody? End(ref Utf8JsonReader reader, OpenRlhfBody? parsed)
    {
        if (reader.Read()) throw new JsonException("content after the end of the body's JSON value");
        return parsed;
    }

    private static Item[]? List(ref Utf8JsonReader reader, string field, bool number, bool nullItem)
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException($"'{field}' is a JSON {reader.TokenType}; expected a list of strings{(number ? " or numbers" : "")}");
        var items = new List<Item>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = checked((int)reader.TokenStartIndex);
            items.Add(reader.TokenType switch
            {
                // the content starts after the opening quote
                JsonTokenType.String => new Item(start + 1, reader.ValueSpan.Length, reader.ValueIsEscaped ? Kind.EscapedText : Kind.Text),
                JsonTokenType.Number when number => new Item(start, reader.ValueSpan.Length, Kind.Number),
                JsonTokenType.Null when nullItem => new Item(start, 0, Kind.Null),
                JsonTokenType.Null => throw new JsonException($"{field}[{items.Count}] is null; expected a string"),
                _ => throw new JsonException($"{field}[{items.Count}] is a JSON {reader.TokenType}; expected a string{(number ? " or a number" : "")}"),
            });
        }
        return items.ToArray();
    }

    /// <summary>query[i] (never null).</summary>
    public string Query(int i) => Text(query![i])!;

    /// <summary>prompts[i], "" when prompts is missing or the item is null.</summary>
    public string Prompt(int i) => prompts is null ? "" : Text(prompts[i]) ?? "";

    /// <summary>labels[i]: a string, a number's JSON text as written, or null (also when labels is missing).</summary>
    public string? Label(int i) => labels is null ? null : Text(labels[i]);

    private string? Text(Item item)
    {
        switch (item.Kind)
        {
            case Kind.Null:
                return null;
            case Kind.Text:
            case Kind.Number:
                return Encoding.UTF8.GetString(body, item.Start, item.Length);
            default:
                // unescape with the reader: the quoted string alone is a JSON document (validated by Parse)
                var reader = new Utf8JsonReader(body.AsSpan(item.Start - 1, item.Length + 2));
                reader.Read();
                return reader.GetString();
        }
    }
}
