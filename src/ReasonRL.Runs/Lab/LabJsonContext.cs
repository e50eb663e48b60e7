// LabJsonContext: System.Text.Json source generation for every record a lab run writes (docs/conventions.md §11:
// no reflection). snake_case names and string enums, so the files read well by hand.
using ReasonRL.Training;
using System.Text.Json.Serialization;

namespace ReasonRL.Runs.Lab;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true,
    UseStringEnumConverter = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(LabPreset))]
[JsonSerializable(typeof(LabSweepResult))]
[JsonSerializable(typeof(LabPrmCheck))]
[JsonSerializable(typeof(LabStageRecord))]
[JsonSerializable(typeof(LabEvalResult))]
[JsonSerializable(typeof(LabRewardModelQuality))]
[JsonSerializable(typeof(List<LabRewardModelQuality>))]
[JsonSerializable(typeof(LabRunResult))]
[JsonSerializable(typeof(LabSummary))]
[JsonSerializable(typeof(LabFinding))]
[JsonSerializable(typeof(LabExample))]
[JsonSerializable(typeof(LabProblemRow))]
[JsonSerializable(typeof(LabSftRow))]
[JsonSerializable(typeof(LabOrmRow))]
[JsonSerializable(typeof(LabSampleRow))]
[JsonSerializable(typeof(LabLabelledRow))]
internal sealed partial class LabJsonContext : JsonSerializerContext;
