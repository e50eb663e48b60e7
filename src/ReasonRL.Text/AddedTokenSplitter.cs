// AddedTokenSplitter: stage 1 of the pipeline — cut the input at added-token occurrences.
// Text between occurrences goes on to normalization and pre-tokenization; an occurrence becomes
// its id directly. Matching is leftmost-longest on the raw input (HF `AddedVocabulary`, which
// uses Aho-Corasick with the same semantics); with a few dozen added tokens a first-char
// SearchValues scan plus StartsWith is faster than building an automaton.
// It is not the special-token policy's definition (SpecialTokenPolicy.cs).
using System.Buffers;

namespace ReasonRL.Text;

/// <summary>A piece of the input: either plain text (TokenId = -1) or one added token.</summary>
internal readonly record struct TextSegment(int Start, int Length, int TokenId)
{
    public bool IsAddedToken => TokenId >= 0;
}

/// <summary>Splits text at added-token occurrences, honouring a <see cref="SpecialTokenPolicy"/>.</summary>
internal sealed class AddedTokenSplitter
{
    private readonly AddedToken[] _all;          // every added token, longest content first
    private readonly AddedToken[] _nonSpecial;   // the ones matched under every policy
    private readonly SearchValues<char> _allFirst;
    private readonly SearchValues<char> _nonSpecialFirst;

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens)
    {
        _all = tokens.Where(t => t.Content.Length > 0)
            .OrderByDescending(t => t.Content.Length).ThenBy(t => t.Id).ToArray();
        _nonSpecial = _all.Where(t => !t.Special).ToArray();
        _allFirst = SearchValues.Create(_all.Select(t => t.Content[0]).Distinct().ToArray());
        _nonSpecialFirst = SearchValues.Create(_nonSpecial.Select(t => t.Content[0]).Distinct().ToArray());
    }

    /// <summary>True when there is nothing to split on (the splitter can be skipped).</summary>
    public bool IsEmpty => _all.Length == 0;

    /// <summary>Appends the segments of <paramref name="text"/> to <paramref name="output"/>.</summary>
    public void Split(string text, SpecialTokenPolicy policy, List<TextSegment> output)
    {
        bool matchSpecial = policy != SpecialTokenPolicy.Text;
        AddedToken[] candidates = matchSpecial ? _all : _nonSpecial;
        SearchValues<char> first = matchSpecial ? _allFirst : _nonSpecialFirst;
        int plainStart = 0;
        int i = 0;
        while (candidates.Length > 0 && i < text.Length)
        {
            int hit = text.AsSpan(i).IndexOfAny(first);
            if (hit < 0) break;
            i += hit;
            AddedToken? match = LongestAt(text, i, candidates);
            if (match is null)
            {
                i++;
                continue;
            }
            if (match.Special && policy == SpecialTokenPolicy.Throw)
            {
                throw new SpecialTokenInTextException(match.Content, i);
            }
            if (i > plainStart) output.Add(new TextSegment(plainStart, i - plainStart, -1));
            output.Add(new TextSegment(i, match.Content.Length, match.Id));
            i += match.Content.Length;
            plainStart = i;
        }
        if (text.Length > plainStart) output.Add(new TextSegment(plainStart, text.Length - plainStart, -1));
    }

    private static AddedToken? LongestAt(string text, int index, AddedToken[] candidates)
    {
        ReadOnlySpan<char> rest = text.AsSpan(index);
        foreach (AddedToken token in candidates) // longest first, so the first hit is the longest
        {
            if (rest.StartsWith(token.Content, StringComparison.Ordinal)) return token;
        }
        return null;
    }
}
