// ServerWire: what the server reads and writes beyond the client's message records
// (ReasonRL.Rewards.Sources.Remote.RemoteProtocolMessages): lenient request shapes where every field may
// be missing (so a missing field gets a 400 naming it, not a deserialiser crash), the native sample's
// optional replayed step_scores / orm_score, OpenRLHF's response with extra_logs, /health, /metrics and
// error bodies. System.Text.Json source generation only (docs/conventions.md §11).
// Not handlers (RewardServer) and not scoring (RewardService).
using System.Text.Json.Serialization;

namespace ReasonRL.Server;

/// <summary>OpenRLHF request as received: query = prompt + response; prompts and labels optional.</summary>
public sealed record OpenRlhfIn(IReadOnlyList<string>? Query, IReadOnlyList<string>? Prompts, IReadOnlyList<string?>? Labels);

/// <summary>OpenRLHF response: one scalar per sample in both rewards and scores, plus per-sample logs.</summary>
public sealed record OpenRlhfOut(IReadOnlyList<double> Rewards, IReadOnlyList<double> Scores, IReadOnlyDictionary<string, IReadOnlyList<double>> ExtraLogs);

/// <summary>Native v1 sample as received; step_scores / orm_score replay a learned model's raw scores.</summary>
public sealed record NativeSampleIn(string? Prompt, string? Response, string? Gold, IReadOnlyList<double>? StepScores, double? OrmScore);

public sealed record NativeRequestIn(int? Version, IReadOnlyList<NativeSampleIn?>? Samples);

public sealed record ErrorOut(string Error);

public sealed record HealthOut(string Status, string Config, double UptimeSeconds);

public sealed record MetricsOut(
    IReadOnlyDictionary<string, long> Requests,
    IReadOnlyDictionary<string, long> Responses,
    long Samples,
    long SampleErrors,
    IReadOnlyDictionary<string, long> Verdicts,
    double LatencyP50Ms,
    double LatencyP99Ms,
    double LatencyMaxMs,
    long ModelBatches,
    long ModelBatchedSamples);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(OpenRlhfIn))]
[JsonSerializable(typeof(OpenRlhfOut))]
[JsonSerializable(typeof(NativeRequestIn))]
[JsonSerializable(typeof(ErrorOut))]
[JsonSerializable(typeof(HealthOut))]
[JsonSerializable(typeof(MetricsOut))]
public sealed partial class ServerJson : JsonSerializerContext;
