// SafeTensorsFormatException: the one exception type for a malformed or unsupported .safetensors
// file (or sharded index). Its message names the file, the tensor when there is one, and the
// expected versus actual value; Error says which rule was broken so callers and tests can tell
// cases apart without parsing text. What it is not: used for programming errors (those are
// ArgumentException) or for plain IO failures (those stay IOException).
namespace ReasonRL.Models;

/// <summary>Which safetensors rule a file broke.</summary>
public enum SafeTensorsError
{
    /// <summary>Fewer than 8 bytes: no header length.</summary>
    FileTooShort,
    /// <summary>Header length over <see cref="SafeTensorsReader.MaxHeaderBytes"/>.</summary>
    HeaderTooLarge,
    /// <summary>8 + header length is beyond the end of the file.</summary>
    HeaderBeyondFile,
    /// <summary>The header does not start with '{'.</summary>
    HeaderStart,
    /// <summary>The header is not valid UTF-8.</summary>
    InvalidUtf8,
    /// <summary>The header is not valid JSON, or has non-space bytes after the object.</summary>
    InvalidJson,
    /// <summary>A key appears twice in the header.</summary>
    DuplicateKey,
    /// <summary>A tensor entry is not {"dtype": string, "shape": [int…], "data_offsets": [begin, end]}.</summary>
    InvalidEntry,
    /// <summary>__metadata__ is not an object of string values.</summary>
    InvalidMetadata,
    /// <summary>A dtype string the format does not define.</summary>
    UnknownDType,
    /// <summary>A dtype the format defines but ReasonRL does not load (e.g. F64, U8).</summary>
    UnsupportedDType,
    /// <summary>Shape product × dtype size differs from end − begin.</summary>
    ByteLengthMismatch,
    /// <summary>Offsets leave a gap, overlap, or are reversed.</summary>
    InvalidOffsets,
    /// <summary>The tensors do not cover the data buffer exactly (bytes left over or missing).</summary>
    BufferNotCovered,
    /// <summary>A tensor has more elements than one .NET array holds, or a size overflows.</summary>
    TooLarge,
    /// <summary>A sharded checkpoint's index disagrees with its shards, or is malformed.</summary>
    InvalidIndex,
}

/// <summary>A .safetensors file (or sharded index) that breaks the format's rules.</summary>
public sealed class SafeTensorsFormatException : Exception
{
    public SafeTensorsFormatException(SafeTensorsError error, string filePath, string? tensorName, string problem)
        : base(Compose(filePath, tensorName, problem))
    {
        Error = error;
        FilePath = filePath;
        TensorName = tensorName;
    }

    public SafeTensorsFormatException(SafeTensorsError error, string filePath, string? tensorName, string problem, Exception inner)
        : base(Compose(filePath, tensorName, problem), inner)
    {
        Error = error;
        FilePath = filePath;
        TensorName = tensorName;
    }

    /// <summary>The rule that was broken.</summary>
    public SafeTensorsError Error { get; }

    /// <summary>The file being read.</summary>
    public string FilePath { get; }

    /// <summary>The tensor (header key) concerned, when there is one.</summary>
    public string? TensorName { get; }

    private static string Compose(string filePath, string? tensorName, string problem) =>
        tensorName is null ? $"{filePath}: {problem}" : $"{filePath}: tensor \"{tensorName}\": {problem}";
}
