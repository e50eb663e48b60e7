// TrainConfigException: a rejected training config, naming where (file:line or the command-line
// override), the dotted key, what was found and what was expected.
using ReasonRL.Training;

namespace ReasonRL.Runs;

/// <summary>Invalid training configuration.</summary>
public sealed class TrainConfigException(string source, int line, string key, string problem)
    : Exception(line > 0 ? $"{source}:{line}: {key}: {problem}" : $"{source}: {key}: {problem}")
{
    /// <summary>File name or the command-line override.</summary>
    public string Origin { get; } = source;

    /// <summary>1-based line (0 when not from a file).</summary>
    public int Line { get; } = line;

    /// <summary>Dotted key.</summary>
    public string Key { get; } = key;
}
