// RewardModelInputs: the token layouts of the three PRM conventions and the ORM, under a character
// tokenizer (exact vectors) and under the real Qwen3 byte-level BPE tokenizer (many steps, unicode, steps
// ending inside a token). The BPE test checks e_k independently of StepTokenMap's rule by decoding: the
// step's text is fully written by tokens ..e_k and not yet by tokens ..e_k − 1.
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using ReasonRL.Tests;
using ReasonRL.Text;
using Xunit;

namespace ReasonRL.Rewards.Tests;

public sealed class RewardModelInputsTests
{
    internal static readonly CharTokenizer Chars = new("\n +-=0123456789abcdefghijklmnopqrstuvwxyz?~");

    private static readonly Lazy<ITokenizer> Qwen3 = new(() => TokenizerLoader.Load(SharedData.PathOf("data/tokenizer/qwen3-tokenizer.json.gz")));

    private static int Id(char c) => Chars.Encode(c.ToString()).Ids[0];

    [Fact]
    public void StepEndTokenReadsTheLastCharacterOfEachStepAfterBosAndPrompt()
    {
        var (response, steps) = RewardModelInputs.JoinSteps(["1+2=3", "3+4=7", "a 7"]);
        Assert.Equal("1+2=3\n3+4=7\na 7", response);
        var (tokens, positions) = RewardModelInputs.ForSteps(Chars, "q?\n", response, steps);
        Assert.Equal(1 + 3 + response.Length, tokens.Length);
        Assert.Equal(Chars.BosId, tokens[0]);
        int offset = 1 + 3;
        Assert.Equal([offset + 4, offset + 10, offset + 14], positions);
        Assert.Equal([Id('3'), Id('7'), Id('7')], positions.Select(p => tokens[p]));
    }

    [Fact]
    public void SeparatorConventionPutsOneSeparatorAfterEachStep()
    {
        var (response, steps) = RewardModelInputs.JoinSteps(["ab", "c"]);
        var options = new PrmScoringOptions { Convention = PrmConvention.SeparatorToken, Separator = "<eos>" };
        var (tokens, positions) = RewardModelInputs.ForSteps(Chars, "q", response, steps, options);
        int eos = Chars.EosIds[0], bos = Chars.BosId!.Value;
        Assert.Equal([bos, Id('q'), Id('a'), Id('b'), eos, Id('c'), eos], tokens);
        Assert.Equal([4, 6], positions);
    }

    [Fact]
    public void MathShepherdConventionKeepsTheGapsAndTagsEachStep()
    {
        var (response, steps) = RewardModelInputs.JoinSteps(["ab", "c"]);
        var options = new PrmScoringOptions { Convention = PrmConvention.MathShepherd, StepTag = "~" };
        var (tokens, positions) = RewardModelInputs.ForSteps(Chars, "q", response, steps, options);
        int tag = Id('~');
        Assert.Equal([Chars.BosId!.Value, Id('q'), Id('a'), Id('b'), Id(' '), tag, Id('\n'), Id('c'), Id(' '), tag], tokens);
        Assert.Equal([5, 9], positions);
    }

    [Fact]
    public void OutcomeReadsTheLastTokenAndBadOptionsAreExplained()
    {
        var (tokens, positions) = RewardModelInputs.ForOutcome(Chars, "q", "12");
        Assert.Equal([Chars.BosId!.Value, Id('q'), Id('1'), Id('2')], tokens);
        Assert.Equal([3], positions);
        var bad = new PrmScoringOptions { Convention = PrmConvention.SeparatorToken, Separator = "ab" };
        var ex = Assert.Throws<ArgumentException>(() => RewardModelInputs.ForSteps(Chars, "q", "ab", [new StepSpan(0, 2)], bad));
        Assert.Contains("separator \"ab\" must be one token", ex.Message);
        Assert.Contains("outside the response", Assert.Throws<ArgumentException>(() => RewardModelInputs.ForSteps(Chars, "q", "ab", [new StepSpan(0, 3)])).Message);
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void StepEndTokensAreRightUnderTheQwen3BpeTokenizer()
    {
        var tok = Qwen3.Value;
        string[] pieces =
        [
            "Let x = 4.", "Then x² + 1 = 17.", "√2 ≈ 1.41421356", "日本語の計算: 3×4=12", "Emoji check 😀😀 done",
            "Café naïve façade", "So the total is 12+5=17", "Ελληνικά: α+β=γ", "The answer is \\boxed{17}", "",
        ];
        var stepTexts = Enumerable.Range(0, 60).Select(i => pieces[i % (pieces.Length - 1)] + (i % 7 == 0 ? "  " : "")).ToList();
        var (response, steps) = RewardModelInputs.JoinSteps(stepTexts);
        const string prompt = "Question: what is 12 + 5?\n";
        var (tokens, positions) = RewardModelInputs.ForSteps(tok, prompt, response, steps);
        int promptLength = PromptIds.Of(tok, prompt).Length;
        var responseIds = tokens[promptLength..];
        Assert.Equal(tok.Encode(response).Ids, responseIds);
        Assert.Equal(steps.Length, positions.Length);
        var offsets = tok.Encode(response).Offsets;
        int straddling = 0;
        for (int k = 0; k < steps.Length; k++)
        {
            int e = positions[k] - promptLength;
            string written = response[..steps[k].End];
            Assert.StartsWith(written, tok.Decode(responseIds.AsSpan(0, e + 1)), StringComparison.Ordinal);
            Assert.False(tok.Decode(responseIds.AsSpan(0, e)).StartsWith(written, StringComparison.Ordinal), $"step {k} was already written before token {e}");
            if (offsets[e].End > steps[k].End) straddling++;
        }
        Assert.True(straddling > 0, "no step ended inside a token; the text does not exercise that case");
    }

    [SharedDataFact]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    public void SeparatorConventionUnderQwen3UsesTheSpecialTokenId()
    {
        var tok = Qwen3.Value;
        var options = new PrmScoringOptions { Convention = PrmConvention.SeparatorToken, Separator = "<|im_end|>" };
        var (response, steps) = RewardModelInputs.JoinSteps(["Step one: 1+1=2", "Step two: 2·3=6 ✓"]);
        var (tokens, positions) = RewardModelInputs.ForSteps(tok, "Q", response, steps, options);
        int sep = tok.Encode("<|im_end|>", SpecialTokenPolicy.Allow).Ids.Single();
        Assert.Equal([sep, sep], positions.Select(p => tokens[p]));
        Assert.Equal(2, tokens.Count(t => t == sep));
        Assert.Equal(tokens.Length - 1, positions[^1]);
    }
}
