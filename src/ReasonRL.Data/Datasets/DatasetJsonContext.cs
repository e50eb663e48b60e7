// DatasetJsonContext: System.Text.Json source-generation metadata for the rows the dataset loaders write
// (docs/conventions.md §11: no reflection-based serialisation); snake_case names. Not used for reading: loaders
// validate field by field (JsonRow) so errors name the line and field.
using System.Text.Json.Serialization;

namespace ReasonRL.Data.Datasets;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(StepLabelledRow))]
public sealed partial class DatasetJsonContext : JsonSerializerContext;
