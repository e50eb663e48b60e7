// TokenizerSpec: resolves the `tokenizer` setting of a run config to an ITokenizer and remembers it
// next to saved models. "char:lab" = CharTokenizer over LabTask.Alphabet (specials <pad> <bos> <eos>
// <unk>); a path = tokenizer.json (or a directory holding one); null = the model directory's own
// tokenizer: its tokenizer.json, or the spec recorded in the reasonrl_tokenizer.txt that folders saved
// before issue 17 carry instead. SaveNextTo carries a model folder's tokenizer and its companions
// (tokenizer_config.json with BOS, EOS and the chat template; generation_config.json; …) into every
// saved model folder; a char spec is written out as tokenizer.json (CharTokenizer.ToTokenizerJson)
// with a tokenizer_config.json, so the lab's folders are self-describing too (issue 17).
// What it is not: a tokenizer (ReasonRL.Text) — only the naming convention of the CLI.
using ReasonRL.Core;
using ReasonRL.Data.Lab;
using ReasonRL.Text;
using ReasonRL.Training;
using System.IO.Compression;
using System.Text;

namespace ReasonRL.Runs;

/// <summary>Tokenizer naming for run configs (see file header).</summary>
public static class TokenizerSpec
{
    /// <summary>The lab's character tokenizer spec.</summary>
    public const string CharLab = "char:lab";

    /// <summary>File in a model directory, saved before issue 17, recording a spec that had no tokenizer.json (e.g. char:lab); still read.</summary>
    public const string SpecFileName = "reasonrl_tokenizer.txt";

    /// <summary>Resolves <paramref name="spec"/> (or, when null, the tokenizer of <paramref name="modelDirectory"/>).</summary>
    public static ITokenizer Resolve(string? spec, string? modelDirectory)
    {
        if (spec is null)
        {
            if (modelDirectory is null) throw new ArgumentException("tokenizer: no tokenizer given and no model directory to take it from; expected \"char:lab\" or a tokenizer.json path");
            string recorded = Path.Combine(modelDirectory, SpecFileName);
            if (File.Exists(recorded)) return Resolve(File.ReadAllText(recorded).Trim(), null);
            return TokenizerLoader.Load(modelDirectory);
        }
        if (spec == CharLab) return new CharTokenizer(LabTask.Alphabet);
        if (spec.StartsWith("char:", StringComparison.Ordinal))
            throw new ArgumentException($"tokenizer: '{spec}' is not a known character tokenizer; expected \"{CharLab}\"");
        if (!File.Exists(spec) && !Directory.Exists(spec))
            throw new FileNotFoundException($"tokenizer: '{spec}' does not exist; expected \"{CharLab}\", a tokenizer.json file or a directory holding one", spec);
        return TokenizerLoader.Load(spec);
    }

    /// <summary>Files of a Hugging Face model folder, beside the weights and tokenizer.json, that say how
    /// to use it (BOS/EOS and the chat template, sampling defaults, …); copied as they are.</summary>
    public static readonly string[] CompanionFiles =
        ["tokenizer_config.json", "generation_config.json", "special_tokens_map.json", "chat_template.jinja", "chat_template.json"];

    /// <summary>Makes <paramref name="modelDirectory"/> self-describing, so it loads in ReasonRL and in Hugging Face
    /// tools as the model it came from: with no spec, the source folder's tokenizer (a recorded spec, or tokenizer.json,
    /// written uncompressed from a tokenizer.json.gz) and its <see cref="CompanionFiles"/>; with a tokenizer path, that
    /// tokenizer as tokenizer.json and the tokenizer_config.json that belongs to it (TokenizerConfig.PathBeside);
    /// with a char spec, that character tokenizer as tokenizer.json and a tokenizer_config.json naming its BOS, EOS
    /// and pad tokens. Every file goes through AtomicFile.</summary>
    public static void SaveNextTo(string? spec, string? sourceModelDirectory, string modelDirectory)
    {
        if (spec is null)
        {
            if (sourceModelDirectory is not null) CopyFolderTokenizer(sourceModelDirectory, modelDirectory);
            return;
        }
        if (spec.StartsWith("char:", StringComparison.Ordinal))
        {
            var chars = (CharTokenizer)Resolve(spec, null);
            AtomicFile.WriteAllText(Path.Combine(modelDirectory, "tokenizer.json"), chars.ToTokenizerJson());
            AtomicFile.WriteAllText(Path.Combine(modelDirectory, "tokenizer_config.json"), TokenizerConfig.ToJson(chars));
            return;
        }
        if (Directory.Exists(spec))
        {
            CopyFolderTokenizer(spec, modelDirectory);
            return;
        }
        WriteTokenizerFile(spec, modelDirectory);
        if (TokenizerConfig.PathBeside(spec) is { } config) AtomicFile.Copy(config, Path.Combine(modelDirectory, "tokenizer_config.json"));
    }

    private static void CopyFolderTokenizer(string source, string destination)
    {
        string recorded = Path.Combine(source, SpecFileName);
        if (File.Exists(recorded)) AtomicFile.Copy(recorded, Path.Combine(destination, SpecFileName));
        string? tokenizer = TokenizerLoader.DirectoryCandidates.Select(n => Path.Combine(source, n)).FirstOrDefault(File.Exists);
        if (tokenizer is not null) WriteTokenizerFile(tokenizer, destination);
        foreach (string name in CompanionFiles)
        {
            string file = Path.Combine(source, name);
            if (File.Exists(file)) AtomicFile.Copy(file, Path.Combine(destination, name));
        }
    }

    // A tokenizer.json (plain or gzipped) becomes <destination>/tokenizer.json, the name Hugging Face looks for;
    // any other tokenizer file (GGUF) is copied under its own name.
    private static void WriteTokenizerFile(string file, string destination)
    {
        if (Path.GetExtension(file).Equals(".gguf", StringComparison.OrdinalIgnoreCase))
        {
            AtomicFile.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
            return;
        }
        using var stream = File.OpenRead(file);
        bool gzip = stream.ReadByte() == 0x1F && stream.ReadByte() == 0x8B;
        stream.Position = 0;
        using var reader = new StreamReader(gzip ? new GZipStream(stream, CompressionMode.Decompress) : stream, Encoding.UTF8);
        AtomicFile.WriteAllText(Path.Combine(destination, "tokenizer.json"), reader.ReadToEnd());
    }

}
