// DataJsonContext: System.Text.Json source-generation metadata for every JSON row type this project
// writes or reads by type (docs/conventions.md §11: no reflection-based serialisation). snake_case names, so a
// PRM row is {"question": …, "steps": […], "labels": […]}. Dataset loaders that validate field by field
// (GSM8K, MATH) use JsonDocument instead.
using System.Text.Json.Serialization;

namespace ReasonRL.Data.Records;

/// <summary>Source-generated JSON metadata for ReasonRL.Data's records.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    RespectRequiredConstructorParameters = true, RespectNullableAnnotations = true)]
[JsonSerializable(typeof(SftExample))]
[JsonSerializable(typeof(PrmRecord))]
[JsonSerializable(typeof(OrmRecord))]
public sealed partial class DataJsonContext : JsonSerializerContext;
