// Wire messages of the two remote reward protocols, serialised with System.Text.Json source
// generation (no reflection, docs/conventions.md §11).
//
// OpenRLHF (openrlhf/cli/serve_rm.py, remote_rm_fn): POST {"query": [prompt+response…],
// "prompts": [prompt…], "labels": [gold…]} → {"rewards": [float…]} (servers may send "scores"
// instead or as well; "rewards" wins when both are present). One sequence-level value per sample.
//
// ReasonRL native (version 1, defined here): POST
//   {"version": 1, "samples": [{"prompt": str, "response": str, "gold": str|null}, …]}
// → {"version": 1, "results": [{
//        "verdict": "correct"|"incorrect"|"unverifiable"|null,   // null when the sample failed
//        "success": float|null,                                  // r_succ for the verdict
//        "steps": [{"start": int, "end": int}, …],               // step character spans [start, end)
//        "raw_step_scores": [float, …]|null,                     // learned s_k, null without a PRM
//        "step_rewards": [float, …],                             // shaped, one per step
//        "learned_return": float, "total_return": float,
//        "error": str|null }, …]}                                // per-sample failure, never a silent 0
// Results are in request order, exactly one per sample.
using System.Text.Json.Serialization;

namespace ReasonRL.Rewards.Sources.Remote;

public sealed record OpenRlhfRequest(
    [property: JsonPropertyName("query")] IReadOnlyList<string> Query,
    [property: JsonPropertyName("prompts")] IReadOnlyList<string> Prompts,
    [property: JsonPropertyName("labels")] IReadOnlyList<string> Labels);

public sealed record OpenRlhfResponse(
    [property: JsonPropertyName("rewards")] IReadOnlyList<double>? Rewards,
    [property: JsonPropertyName("scores")] IReadOnlyList<double>? Scores);

public sealed record NativeSample(string Prompt, string Response, string? Gold);

public sealed record NativeRequest(int Version, IReadOnlyList<NativeSample> Samples);

public sealed record NativeStep(int Start, int End);

public sealed record NativeResult(
    string? Verdict,
    double? Success,
    IReadOnlyList<NativeStep>? Steps,
    IReadOnlyList<double>? RawStepScores,
    IReadOnlyList<double>? StepRewards,
    double? LearnedReturn,
    double? TotalReturn,
    string? Error);

public sealed record NativeResponse(int Version, IReadOnlyList<NativeResult>? Results);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(OpenRlhfRequest))]
[JsonSerializable(typeof(OpenRlhfResponse))]
[JsonSerializable(typeof(NativeRequest))]
[JsonSerializable(typeof(NativeResponse))]
public sealed partial class RemoteProtocolJson : JsonSerializerContext;
