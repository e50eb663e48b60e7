// StepTokenMap: step spans → index of each step's last response token, checked with an emulated
// character tokenizer, hand-made BPE-like offsets (a step ending inside a token, multi-byte
// characters split over several tokens, special tokens with empty ranges) and a randomised
// property over many steps with unicode text, against an independent containment oracle.
using FsCheck;
using FsCheck.Fluent;
using ReasonRL.Rewards.Steps;
using System.Text;

namespace ReasonRL.Rewards.Tests;

public sealed class StepTokenMapTests
{
    /// <summary>Character tokenizer emulation: one token per Unicode scalar (a surrogate pair is one token of 2 chars).</summary>
    internal static TokenOffset[] CharTokens(string text)
    {
        var offsets = new List<TokenOffset>();
        for (var i = 0; i < text.Length;)
        {
            var width = char.IsSurrogatePair(text, i) ? 2 : 1;
            offsets.Add(new TokenOffset(i, i + width));
            i += width;
        }
        return offsets.ToArray();
    }

    [Fact]
    public void Character_tokenizer_maps_each_step_to_its_last_character()
    {
        var text = "ab\ncd\nef";
        var steps = new StepSplitter(StepSplitOptions.Lines).Split(text);
        Assert.Equal([1, 4, 7], StepTokenMap.StepEndTokens(steps, CharTokens(text)));
    }

    [Fact]
    public void Character_tokenizer_with_unicode_counts_scalars_not_chars()
    {
        var text = "x=😀\nπ≈3.14\n答案12";
        var steps = new StepSplitter(StepSplitOptions.Lines).Split(text);
        var tokens = CharTokens(text); // x = 😀 \n π ≈ 3 . 1 4 \n 答 案 1 2 → 15 tokens
        Assert.Equal(15, tokens.Length);
        Assert.Equal([2, 9, 14], StepTokenMap.StepEndTokens(steps, tokens));
    }

    [Fact]
    public void Bpe_like_offsets_step_ending_inside_a_token()
    {
        // "a=1\nb=2" tokenised as "a" "=" "1\nb" "=" "2": token 2 straddles the step boundary,
        // so it ends step 1 (it writes the "1") and belongs to step 2 too.
        var text = "a=1\nb=2";
        TokenOffset[] tokens = [new(0, 1), new(1, 2), new(2, 5), new(5, 6), new(6, 7)];
        var steps = new StepSplitter(StepSplitOptions.Lines).Split(text);
        Assert.Equal([2, 4], StepTokenMap.StepEndTokens(steps, tokens));
    }

    [Fact]
    public void Bpe_like_offsets_with_byte_pieces_and_special_tokens()
    {
        // "é=1\n\n中" with byte-level pieces: "é" is 2 tokens sharing (0,1), "中" is 3 tokens sharing (5,6);
        // "\n\n" is one token; an EOS special token has the empty range (6,6).
        var text = "é=1\n\n中";
        TokenOffset[] tokens = [new(0, 1), new(0, 1), new(1, 3), new(3, 5), new(5, 6), new(5, 6), new(5, 6), new(6, 6)];
        var steps = new StepSplitter(StepSplitOptions.Paragraphs).Split(text);
        Assert.Equal([new StepSpan(0, 3), new StepSpan(5, 6)], steps);
        // Step 1 ends with "1" in token 2 ("=1"); step 2 ends with the last byte piece of "中" (token 6), not EOS.
        Assert.Equal([2, 6], StepTokenMap.StepEndTokens(steps, tokens));
    }

    [Fact]
    public void Two_steps_inside_one_token_share_the_index_and_drift_snaps_to_the_last_token()
    {
        TokenOffset[] tokens = [new(0, 5)]; // one token "a\nb\nc"
        Assert.Equal([0, 0, 0], StepTokenMap.StepEndTokens([new(0, 1), new(2, 3), new(4, 5)], tokens));
        // A step past the tokens (truncated tokenisation) snaps to the last token.
        Assert.Equal([1], StepTokenMap.StepEndTokens([new(8, 12)], [new(0, 2), new(2, 4)]));
    }

    [Fact]
    public void Invalid_offsets_are_rejected_naming_the_token()
    {
        var e = Assert.Throws<ArgumentException>(() => StepTokenMap.StepEndTokens([new(0, 2)], [new(0, 1), new(3, 4), new(2, 3)]));
        Assert.Contains("token 2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => StepTokenMap.StepEndTokens([new(0, 2)], []));
        Assert.Empty(StepTokenMap.StepEndTokens([], []));
    }

    /// <summary>Random text of many steps (ASCII, Greek, CJK, emoji), random BPE-like tokenisation.</summary>
    public sealed record TokenCase(string Text, TokenOffset[] Tokens)
    {
        public override string ToString() => $"{Text.Replace("\n", "\\n", StringComparison.Ordinal)} | {string.Join(' ', Tokens)}";
    }

    private static readonly string[] Pieces = ["a", "7", "=", " ", "+", "π", "答", "😀", "é", "\n", "\n", "\n\n", "x"];

    private static Arbitrary<TokenCase> TokenCases() =>
        (from n in Gen.Choose(1, 80)
         from picks in Gen.ArrayOf(Gen.Choose(0, Pieces.Length - 1), n)
         from cuts in Gen.ArrayOf(Gen.Choose(0, 3), n)
         from splitChars in Gen.ArrayOf(Gen.Choose(0, 2), n)
         select Tokenise(picks, cuts, splitChars)).ToArbitrary();

    // Builds the text from pieces and tokens that merge up to 4 consecutive scalars (like BPE merges),
    // sometimes splitting one non-ASCII scalar into 2–3 byte-piece tokens with the same range.
    private static TokenCase Tokenise(int[] picks, int[] cuts, int[] splitChars)
    {
        var text = new StringBuilder();
        foreach (var p in picks) text.Append(Pieces[p]);
        var s = text.ToString();
        var scalars = CharTokens(s);
        var tokens = new List<TokenOffset>();
        var r = 0;
        for (var i = 0; i < scalars.Length; r++)
        {
            var merge = 1 + cuts[r % cuts.Length];
            var first = scalars[i];
            if (s[first.Start] > 127 && splitChars[r % splitChars.Length] > 0)
            {
                for (var b = 0; b <= splitChars[r % splitChars.Length]; b++) tokens.Add(first);
                i++;
                continue;
            }
            var last = scalars[Math.Min(i + merge, scalars.Length) - 1];
            tokens.Add(new TokenOffset(first.Start, last.End));
            i += merge;
        }
        if (r % 2 == 0) tokens.Add(new TokenOffset(s.Length, s.Length)); // an EOS special token sometimes
        return new TokenCase(s, tokens.ToArray());
    }

    [Fact]
    public void Step_ends_match_the_containment_oracle_under_random_bpe_like_tokenisation()
    {
        var splitters = new[] { new StepSplitter(StepSplitOptions.Lines), new StepSplitter(StepSplitOptions.Paragraphs) };
        Prop.ForAll(TokenCases(), c =>
        {
            foreach (var splitter in splitters)
            {
                var steps = splitter.Split(c.Text);
                var ends = StepTokenMap.StepEndTokens(steps, c.Tokens);
                if (!ends.SequenceEqual(StepTokenMap.StepEndTokensReference(steps, c.Tokens))) return false;
                for (var k = 0; k < steps.Length; k++)
                {
                    // Oracle: the last token whose range contains the step's last character.
                    var lastChar = steps[k].End - 1;
                    var expected = -1;
                    for (var i = 0; i < c.Tokens.Length; i++)
                    {
                        if (c.Tokens[i].Start <= lastChar && lastChar < c.Tokens[i].End) expected = i;
                    }
                    if (ends[k] != expected) return false;
                }
            }
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2_000).WithQuietOnSuccess(true));
    }
}
