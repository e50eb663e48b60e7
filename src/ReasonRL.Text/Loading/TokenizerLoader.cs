// TokenizerLoader: one entry point for "a tokenizer at this path", whatever its form:
// a tokenizer.json, a gzipped tokenizer.json, a GGUF file, or a model directory holding one of
// those. The format is recognised by content (magic bytes), not by extension.
// It is not a model loader (weights are ReasonRL.Models' concern).
namespace ReasonRL.Text;

/// <summary>Path → tokenizer.</summary>
public static class TokenizerLoader
{
    /// <summary>File names tried, in order, inside a model directory.</summary>
    public static readonly string[] DirectoryCandidates = ["tokenizer.json", "tokenizer.json.gz"];

    /// <summary>Loads the tokenizer at <paramref name="path"/> (file or model directory): byte-level BPE, or the
    /// character tokenizer a ReasonRL model folder carries (CharTokenizer.ToTokenizerJson).</summary>
    public static ITokenizer Load(string path)
    {
        string file = FileOf(path);
        return IsGguf(file) ? GgufTokenizerLoader.Load(file) : TokenizerJsonLoader.LoadAny(file);
    }

    /// <summary>Loads the byte-level BPE tokenizer at <paramref name="path"/> (file or model directory); a character
    /// tokenizer's file is refused (TokenizerFormatException naming model.type).</summary>
    public static ByteLevelBpeTokenizer LoadByteLevel(string path)
    {
        string file = FileOf(path);
        return IsGguf(file) ? GgufTokenizerLoader.Load(file) : TokenizerJsonLoader.Load(file);
    }

    private static string FileOf(string path)
    {
        if (Directory.Exists(path)) return ResolveDirectory(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException(
                $"no tokenizer at \"{path}\"; expected a tokenizer.json (optionally .gz), a .gguf file or a model directory", path);
        }
        return path;
    }

    /// <summary>The tokenizer file inside a model directory.</summary>
    public static string ResolveDirectory(string directory)
    {
        foreach (string name in DirectoryCandidates)
        {
            string candidate = Path.Combine(directory, name);
            if (File.Exists(candidate)) return candidate;
        }
        string[] ggufs = Directory.GetFiles(directory, "*.gguf");
        if (ggufs.Length == 1) return ggufs[0];
        throw new FileNotFoundException(
            $"model directory \"{directory}\" has no tokenizer.json, tokenizer.json.gz or single .gguf file " +
            $"({ggufs.Length} .gguf files found)", directory);
    }

    private static bool IsGguf(string path)
    {
        using FileStream f = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[4];
        return f.Read(magic) == 4 && magic.SequenceEqual("GGUF"u8);
    }
}
