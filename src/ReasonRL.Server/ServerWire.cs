// ServerWire: what the server reads and writes beyond the client's message records
// (ReasonRL.Rewards.Sources.Remote.RemoteProtocolMessages): lenient request shapes where every field may
// be missing (so a missing field gets a 400 naming it, not a deserialiser crash), the native sample's
// optional replayed step_scores / orm_score / response_ids, labels that may be JSON numbers (kept as written),
// OpenRLHF's response with extra_logs (and extra_logs.errors), the native response with token_rewards,
// /health and error bodies. System.Text.Json source generation only (docs/conventions.md §11).
// Not handlers (RewardServer) and not scoring (RewardService).
using ReasonRL.Rewards.Sources.Remote;
using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReasonRL.Server;

/// <summary>OpenRLHF request as received: query = prompt + response; prompts and labels optional.</summary>
/// <remarks>Labels may be strings, numbers (a JSON dataset's label key) or null; a number keeps its JSON text.</remarks>
public sealed record OpenRlhfIn(IReadOnlyList<string>? Query, IReadOnlyList<string>? Prompts,
    [property: JsonConverter(typeof(LabelListConverter))] IReadOnlyList<string?>? Labels);

/// <summary>A sample that got the on_error reward: its index and why.</summary>
public sealed record SampleErrorOut(int Index, string Reason);

/// <summary>OpenRLHF's per-sample logs; errors lists the samples that got the on_error reward.</summary>
public sealed record OpenRlhfLogs(IReadOnlyList<double> Success, IReadOnlyList<double> LearnedReturn, IReadOnlyList<double> Steps, IReadOnlyList<SampleErrorOut> Errors);

/// <summary>OpenRLHF response: one scalar per sample in both rewards and scores, plus per-sample logs.</summary>
public sealed record OpenRlhfOut(IReadOnlyList<double> Rewards, IReadOnlyList<double> Scores, OpenRlhfLogs ExtraLogs);

/// <summary>Native v1 sample as received; step_scores / orm_score replay a learned model's raw scores;
/// response_ids: the response as the policy's token ids (needs the server's --tokenizer), answered with token_rewards.</summary>
public sealed record NativeSampleIn(string? Prompt, string? Response, string? Gold, IReadOnlyList<double>? StepScores, double? OrmScore,
    IReadOnlyList<int>? ResponseIds);

public sealed record NativeRequestIn(int? Version, IReadOnlyList<NativeSampleIn?>? Samples);

/// <summary>The native result (RemoteProtocolMessages' NativeResult fields) plus token_rewards, aligned with the
/// sample's response_ids (null when it sent none).</summary>
public sealed record NativeResultOut(
    string? Verdict, double? Success, IReadOnlyList<NativeStep>? Steps, IReadOnlyList<double>? RawStepScores, IReadOnlyList<double>? StepRewards,
    double? LearnedReturn, double? TotalReturn, string? Error, IReadOnlyList<double>? TokenRewards)
{
    public static NativeResultOut From(NativeResult r, IReadOnlyList<double>? tokenRewards) =>
        new(r.Verdict, r.Success, r.Steps, r.RawStepScores, r.StepRewards, r.LearnedReturn, r.TotalReturn, r.Error, tokenRewards);
}

public sealed record NativeResponseOut(int Version, IReadOnlyList<NativeResultOut> Results);

public sealed record ErrorOut(string Error);

/// <summary>Liveness only: no config, paths or URLs (it answers without the token).</summary>
public sealed record HealthOut(string Status, double UptimeSeconds);

/// <summary>Reads a list whose items are strings, numbers (kept exactly as written in the JSON, e.g. "1.10")
/// or null; anything else is a JsonException naming the item.</summary>
public sealed class LabelListConverter : JsonConverter<IReadOnlyList<string?>>
{
    public override IReadOnlyList<string?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("'labels' must be a list of strings or numbers");
        var list = new List<string?>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(reader.TokenType switch
            {
                JsonTokenType.String => reader.GetString(),
                JsonTokenType.Number => Encoding.UTF8.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray()),
                JsonTokenType.Null => null,
                _ => throw new JsonException($"labels[{list.Count}] is {reader.TokenType}; expected a string or a number"),
            });
        }
        return list;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string?> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var v in value) writer.WriteStringValue(v);
        writer.WriteEndArray();
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(OpenRlhfIn))]
[JsonSerializable(typeof(OpenRlhfOut))]
[JsonSerializable(typeof(NativeRequestIn))]
[JsonSerializable(typeof(ErrorOut))]
[JsonSerializable(typeof(HealthOut))]
[JsonSerializable(typeof(NativeResponseOut))]
public sealed partial class ServerJson : JsonSerializerContext;
