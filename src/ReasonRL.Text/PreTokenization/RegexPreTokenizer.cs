// RegexPreTokenizer: stage 3 of the pipeline — cut normalized text into pre-tokens ("words")
// with one or more regexes applied in sequence, HF `Split` with behaviour `Isolated`: every
// match is a piece and so is every stretch between matches. Pieces are reported as
// (start, length) into the input, never as substrings. Matching is by code point
// (CodePointText), so 𝑥 counts as a letter as it does in Hugging Face tokenizers.
// It is not the byte-level mapping: pieces stay UTF-16 here; bytes come in ByteLevelBpeTokenizer.
// Reference: HF tokenizers `pre_tokenizers/split.rs`, `SplitDelimiterBehavior::Isolated`.
using System.Text.RegularExpressions;

namespace ReasonRL.Text.PreTokenization;

/// <summary>A pre-token: a span of the text passed to <see cref="RegexPreTokenizer.Split"/>.</summary>
public readonly record struct PreToken(int Start, int Length);

/// <summary>Sequence of Isolated regex splits.</summary>
public sealed class RegexPreTokenizer
{
    private readonly Regex[] _stages;
    private readonly KnownPatternScanner? _scanner;

    /// <summary>Creates a splitter from patterns in HF/Oniguruma syntax, applied in order.</summary>
    /// <param name="patterns">Regexes, applied in sequence.</param>
    /// <param name="useScanner">For a single known pattern, split with its hand-written
    /// KnownPatternScanner (same output, faster); false forces the regex (the reference).</param>
    public RegexPreTokenizer(IReadOnlyList<string> patterns, bool useScanner = true)
    {
        Patterns = patterns.ToArray();
        _stages = Patterns.Select(KnownPatterns.Compile).ToArray();
        _scanner = useScanner && Patterns.Count == 1 ? KnownPatternScanner.For(Patterns[0]) : null;
    }

    /// <summary>True when the fast scanner replaces the regex.</summary>
    public bool UsesScanner => _scanner is not null;

    /// <summary>The patterns, in HF syntax.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>Appends the pre-tokens of <paramref name="text"/> to <paramref name="output"/>
    /// (offsets relative to <paramref name="text"/>; they tile it in order).</summary>
    public void Split(ReadOnlySpan<char> text, List<PreToken> output)
    {
        if (text.IsEmpty) return;
        if (_stages.Length == 0)
        {
            output.Add(new PreToken(0, text.Length));
            return;
        }
        if (_scanner is not null)
        {
            _scanner.Split(text, output);
            return;
        }
        CodePointText view = CodePointText.Create(text);
        int first = output.Count;
        SplitStage(view, 0, 0, view.Text.Length, output);
        // Positions so far are in the code-point view; map them back to the original text.
        for (int k = first; k < output.Count; k++)
        {
            int start = view.ToOriginal(output[k].Start);
            int end = view.ToOriginal(output[k].Start + output[k].Length);
            output[k] = new PreToken(start, end - start);
        }
    }

    private void SplitStage(CodePointText view, int stage, int start, int length, List<PreToken> output)
    {
        if (stage == _stages.Length)
        {
            output.Add(new PreToken(start, length));
            return;
        }
        int position = start;
        foreach (ValueMatch m in _stages[stage].EnumerateMatches(view.Text.Slice(start, length)))
        {
            if (m.Length == 0) continue;
            int matchStart = start + m.Index;
            if (matchStart > position) SplitStage(view, stage + 1, position, matchStart - position, output);
            SplitStage(view, stage + 1, matchStart, m.Length, output);
            position = matchStart + m.Length;
        }
        if (start + length > position) SplitStage(view, stage + 1, position, start + length - position, output);
    }
}
