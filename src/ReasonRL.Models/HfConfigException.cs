// HfConfigException: a Hugging Face config.json that ReasonRL cannot map onto ModelConfig. The
// message names the file, the JSON field, the expected value and what was found.
// What it is not: used for IO failures (IOException) or safetensors problems (SafeTensorsFormatException).
namespace ReasonRL.Models;

/// <summary>A config.json field that is missing, has the wrong type, or has an unsupported value.</summary>
public sealed class HfConfigException : FormatException
{
    public HfConfigException(string source, string field, string expected, string actual)
        : base($"{source}: field \"{field}\" must be {expected}, got {actual}")
    {
        Source = source;
        Field = field;
        Expected = expected;
        Actual = actual;
    }

    public HfConfigException(string source, string problem, Exception? inner = null)
        : base($"{source}: {problem}", inner)
    {
        Source = source;
        Field = "";
        Expected = "";
        Actual = "";
    }

    /// <summary>File (or description) the JSON came from.</summary>
    public new string Source { get; }

    /// <summary>The offending JSON field, e.g. "num_key_value_heads" ("" for a whole-document problem).</summary>
    public string Field { get; }

    /// <summary>What the field must be.</summary>
    public string Expected { get; }

    /// <summary>What it was.</summary>
    public string Actual { get; }
}
