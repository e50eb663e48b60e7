// WallClockFields: the fields of run files that hold wall-clock time — the only fields in which two
// runs of the same command on the same machine may differ (docs/architecture.md, "Determinism"):
// `wall_time`, `created_at`, `completed_at`, every key under `time/` and every key ending in
// `_seconds`. Strip removes them from a JSON document so two runs can be compared byte for byte.
// What it is not: a timer; the writers name their fields by this rule.
using System.Text.Json.Nodes;

namespace ReasonRL.Runs;

/// <summary>Recognises and removes wall-clock fields.</summary>
public static class WallClockFields
{
    /// <summary>True when <paramref name="key"/> names a wall-clock field.</summary>
    public static bool Is(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key is "wall_time" or "created_at" or "completed_at"
            || key.StartsWith("time/", StringComparison.Ordinal)
            || key.EndsWith("_seconds", StringComparison.Ordinal);
    }

    /// <summary>The JSON text <paramref name="json"/> (an object or array, or JSON Lines when
    /// <paramref name="lines"/>) without wall-clock fields, re-serialised compactly.</summary>
    public static string Strip(string json, bool lines = false)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (lines)
            return string.Join('\n', json.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => Strip(l)));
        var node = JsonNode.Parse(json);
        Remove(node);
        return node?.ToJsonString() ?? "null";
    }

    private static void Remove(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).Where(Is).ToList()) o.Remove(key);
                foreach (var p in o) Remove(p.Value);
                break;
            case JsonArray a:
                foreach (var item in a) Remove(item);
                break;
        }
    }
}
