// `eval --template model`: the prompt is the model folder's own chat template applied to one user turn
// (question + CoT instruction) with the generation prompt, encoded as HF apply_chat_template does
// (special-token text recognised, no BOS added by us); ChatML when the folder has no template.
using ReasonRL.Text;
using ReasonRL.Text.Chat;
using ReasonRL.Training.Evaluation;

namespace ReasonRL.Training.Tests.Evaluation;

public sealed class EvalPromptBuilderChatTemplateTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasonrl-eval-chat-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void FolderTemplateRendersTheUserTurnAndEncodesItsSpecialTokens()
    {
        File.Copy(Path.Combine(TinyFixture.Directory, "tokenizer.json"), Path.Combine(_dir, "tokenizer.json"));
        File.WriteAllText(Path.Combine(_dir, "tokenizer_config.json"), """
            {"eos_token": "<|im_end|>", "chat_template": "{% for m in messages %}<|im_start|>{{ m.role | upper }}: {{ m.content | trim }}<|im_end|>{% endfor %}{% if add_generation_prompt %}<|im_start|>A:{% endif %}"}
            """);
        ITokenizer tokenizer = TokenizerLoader.Load(_dir);
        var builder = new EvalPromptBuilder(tokenizer, EvalPromptBuilder.ModelChatName, chatTemplate: ChatTemplate.FromFolderOrFallback(_dir));
        EvalPrompt prompt = builder.Build("  What is 2+2? ");
        Assert.Equal("<|im_start|>USER: What is 2+2? \n" + PromptTemplates.QwenMathCotSystemPrompt + "<|im_end|><|im_start|>A:", prompt.Text);
        Assert.Equal(657, prompt.Ids[0]); // <|im_start|> by id, not as characters
        Assert.Equal(2, prompt.Ids.Count(id => id == 657));
        Assert.Equal(prompt.Text, tokenizer.Decode(prompt.Ids));
    }

    [Fact]
    public void FolderWithoutTemplateUsesChatMlAndTheNameNeedsATemplate()
    {
        ITokenizer tokenizer = TinyFixture.Tokenizer();
        var builder = new EvalPromptBuilder(tokenizer, EvalPromptBuilder.ModelChatName, chatTemplate: ChatTemplate.FromFolderOrFallback(TinyFixture.Directory));
        EvalPrompt prompt = builder.Build("1+1?");
        Assert.Equal(ChatMl.Render([new ChatMessage(ChatRole.User, "1+1?\n" + PromptTemplates.QwenMathCotSystemPrompt)], addGenerationPrompt: true), prompt.Text);
        Assert.Contains(EvalPromptBuilder.ModelChatName, EvalPromptBuilder.Names);
        Assert.Throws<ArgumentException>(() => new EvalPromptBuilder(tokenizer, EvalPromptBuilder.ModelChatName));
    }
}
