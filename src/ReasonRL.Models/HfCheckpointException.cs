// HfCheckpointException: a model directory whose files disagree with each other — a tensor
// missing, extra or of the wrong shape for config.json, or an index that does not match its
// shards. The message names the file or directory, the tensor and expected vs actual.
// What it is not: used for a malformed safetensors file itself (SafeTensorsFormatException) or
// a bad config.json (HfConfigException).
namespace ReasonRL.Models;

/// <summary>A checkpoint directory whose tensors do not match its config or index.</summary>
public sealed class HfCheckpointException : Exception
{
    public HfCheckpointException(string where, string? tensorName, string problem)
        : base(tensorName is null ? $"{where}: {problem}" : $"{where}: tensor \"{tensorName}\": {problem}")
    {
        Where = where;
        TensorName = tensorName;
    }

    /// <summary>The directory or file concerned.</summary>
    public string Where { get; }

    /// <summary>The tensor concerned, when there is one.</summary>
    public string? TensorName { get; }
}
