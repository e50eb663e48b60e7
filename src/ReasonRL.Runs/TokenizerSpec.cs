// TokenizerSpec: resolves the `tokenizer` setting of a run config to an ITokenizer and remembers it
// next to saved models. "char:lab" = CharTokenizer over LabTask.Alphabet (specials <pad> <bos> <eos>
// <unk>); a path = tokenizer.json (or a directory holding one); null = the model directory's own
// tokenizer: its tokenizer.json, or the spec recorded in its reasonrl_tokenizer.txt by SaveNextTo.
// What it is not: a tokenizer (ReasonRL.Text) — only the naming convention of the CLI.
using ReasonRL.Core;
using ReasonRL.Data.Lab;
using ReasonRL.Text;
using ReasonRL.Training;

namespace ReasonRL.Runs;

/// <summary>Tokenizer naming for run configs (see file header).</summary>
public static class TokenizerSpec
{
    /// <summary>The lab's character tokenizer spec.</summary>
    public const string CharLab = "char:lab";

    /// <summary>File in a model directory recording a spec that has no tokenizer.json (e.g. char:lab).</summary>
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

    /// <summary>Makes <paramref name="modelDirectory"/> self-describing: copies the tokenizer.json of a path spec, or records a char spec.</summary>
    public static void SaveNextTo(string? spec, string? sourceModelDirectory, string modelDirectory)
    {
        if (spec is null)
        {
            if (sourceModelDirectory is null) return;
            string recorded = Path.Combine(sourceModelDirectory, SpecFileName);
            if (File.Exists(recorded)) { AtomicFile.Copy(recorded, Path.Combine(modelDirectory, SpecFileName)); return; }
            foreach (var name in TokenizerLoader.DirectoryCandidates)
            {
                string src = Path.Combine(sourceModelDirectory, name);
                if (File.Exists(src)) { AtomicFile.Copy(src, Path.Combine(modelDirectory, name)); return; }
            }
            return;
        }
        if (spec.StartsWith("char:", StringComparison.Ordinal)) { AtomicFile.WriteAllText(Path.Combine(modelDirectory, SpecFileName), spec + "\n"); return; }
        string file = Directory.Exists(spec) ? TokenizerLoader.ResolveDirectory(spec) : spec;
        AtomicFile.Copy(file, Path.Combine(modelDirectory, Path.GetFileName(file)));
    }
}
