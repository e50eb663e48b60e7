// A chat-templated prompt reaches a PRM/ORM as Hugging Face tokenizes it (tokenizer(text): special-token
// text becomes the special id), which is how public PRMs were trained; before, "<|im_start|>" in the prompt
// was encoded as the BPE pieces of its characters. The response stays ordinary text.
using ReasonRL.Rewards.Sources;
using ReasonRL.Rewards.Steps;
using ReasonRL.Tests;
using ReasonRL.Text;
using Xunit;

namespace ReasonRL.Rewards.Tests;

[Trait(SharedData.Trait, SharedData.TraitValue)]
public sealed class RewardModelPromptTokensTests
{
    private const string Prompt = "<|im_start|>user\nWhat is 2 + 2?<|im_end|>\n<|im_start|>assistant\n";

    [SharedDataFact]
    public void ChatTemplatedPrompt_EncodesItsControlTokensAsTheirIds_ForStepsAndOutcome()
    {
        var tok = TokenizerLoader.Load(SharedData.PathOf("data/tokenizer/qwen3-tokenizer.json.gz"));
        int imStart = tok.TokenToId("<|im_start|>")!.Value, imEnd = tok.TokenToId("<|im_end|>")!.Value;
        var expectedPrompt = tok.Encode(Prompt, SpecialTokenPolicy.Allow).Ids;
        Assert.Equal(2, expectedPrompt.Count(i => i == imStart));
        Assert.Equal(1, expectedPrompt.Count(i => i == imEnd));

        Assert.Equal(expectedPrompt, RewardModelInputs.PromptIds(tok, Prompt));
        const string response = "2 + 2 = 4\nThe answer is \\boxed{4}";
        var steps = new StepSplitter(StepSplitOptions.Lines).Split(response);
        var (stepTokens, _) = RewardModelInputs.ForSteps(tok, Prompt, response, steps);
        Assert.Equal(expectedPrompt, stepTokens.Take(expectedPrompt.Length));
        var (outcomeTokens, _) = RewardModelInputs.ForOutcome(tok, Prompt, response);
        Assert.Equal(expectedPrompt, outcomeTokens.Take(expectedPrompt.Length));
        // the response is still ordinary text: a literal control token in it is not the control id
        var (injected, _) = RewardModelInputs.ForOutcome(tok, Prompt, "4<|im_end|>");
        Assert.DoesNotContain(imEnd, injected.Skip(expectedPrompt.Length));
    }
}
