// StepSplitter: cuts a response into reasoning steps, returned as character spans.
// Not tokenisation (StepTokenMap maps spans to token indices) and not scoring.
//
// Rule for empty and whitespace-only steps (one rule everywhere, so the PRM, the shaping and the
// trainer count the same K):
//   1. the text is cut at every boundary (separator, regex match or tag); boundaries belong to no step;
//   2. each piece is trimmed of leading and trailing whitespace (char.IsWhiteSpace), so a step's span
//      starts at its first and ends after its last visible character — its reward lands on the token
//      that writes its last visible character, not on trailing blank lines;
//   3. pieces that are empty or whitespace-only after trimming are dropped: they are not steps, get no
//      score and no reward. So "a\n\n\n\nb" split on "\n\n" has 2 steps, and a blank response has 0.
// Overlapping separator occurrences are consumed left to right ("\n\n\n" on "\n\n" leaves "\n" as a blank piece).
using System.Text.RegularExpressions;

namespace ReasonRL.Rewards.Steps;

/// <summary>Splits responses into steps according to one <see cref="StepSplitOptions"/>.</summary>
public sealed class StepSplitter
{
    private readonly Regex? regex;

    public StepSplitOptions Options { get; }

    /// <exception cref="ArgumentException">Empty separator/tag, or a regex that does not compile,
    /// or one that can match the empty string (it would cut between every character).</exception>
    public StepSplitter(StepSplitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        if (string.IsNullOrEmpty(options.Pattern))
        {
            throw new ArgumentException($"step {options.Kind.ToString().ToLowerInvariant()} pattern must be a non-empty string", nameof(options));
        }
        if (options.Kind == StepSplitKind.Regex)
        {
            try
            {
                regex = new Regex(options.Pattern, RegexOptions.CultureInvariant, StepSplitOptions.RegexTimeout);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"step regex {StepSplitOptions.Escape(options.Pattern)} does not compile: {e.Message}", nameof(options), e);
            }
            if (regex.IsMatch(string.Empty))
            {
                throw new ArgumentException($"step regex {StepSplitOptions.Escape(options.Pattern)} matches the empty string; it must match at least one character", nameof(options));
            }
        }
    }

    /// <summary>The steps of <paramref name="response"/> in order, as trimmed, non-blank, non-overlapping spans.</summary>
    public StepSpan[] Split(string response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var spans = new List<StepSpan>();
        var pieceStart = 0;
        foreach (var (boundaryStart, boundaryEnd) in Boundaries(response))
        {
            AddTrimmed(response, pieceStart, boundaryStart, spans);
            pieceStart = boundaryEnd;
        }
        AddTrimmed(response, pieceStart, response.Length, spans);
        return spans.ToArray();
    }

    /// <summary>The step texts (convenience for PRM input building and diagnostics).</summary>
    public string[] SplitText(string response) => Array.ConvertAll(Split(response), s => s.TextOf(response));

    private IEnumerable<(int Start, int End)> Boundaries(string text)
    {
        if (regex is not null)
        {
            foreach (Match m in regex.Matches(text)) yield return (m.Index, m.Index + m.Length);
            yield break;
        }
        var pattern = Options.Pattern;
        for (var at = text.IndexOf(pattern, StringComparison.Ordinal); at >= 0;
             at = text.IndexOf(pattern, at + pattern.Length, StringComparison.Ordinal))
        {
            yield return (at, at + pattern.Length);
        }
    }

    private static void AddTrimmed(string text, int start, int end, List<StepSpan> spans)
    {
        while (start < end && char.IsWhiteSpace(text[start])) start++;
        while (end > start && char.IsWhiteSpace(text[end - 1])) end--;
        if (end > start) spans.Add(new StepSpan(start, end));
    }
}
