// PromptTemplate: a named way to turn a math problem into model input — ChatML (Qwen) with an
// optional system prompt, or a plain text prompt. The named set (PromptTemplates.Get) holds the
// Qwen math chain-of-thought template, whose system prompt is Qwen2.5-Math's:
// "Please reason step by step, and put your final answer within \boxed{}."
// These are code, chosen by name (docs/conventions.md §11); a model folder's own Jinja chat template is
// rendered by ChatTemplate.
// Reference: QwenLM/Qwen2.5-Math evaluation `utils.py` PROMPT_TEMPLATES ("qwen25-math-cot").
namespace ReasonRL.Text.Chat;

/// <summary>How a template lays out its prompt.</summary>
public enum PromptFormat
{
    /// <summary>ChatML turns (system?, user, then the assistant generation prompt).</summary>
    ChatMl,
    /// <summary>Plain text: <see cref="PromptTemplate.UserFormat"/> with {problem} replaced.</summary>
    Plain,
}

/// <summary>A prompt template.</summary>
/// <param name="Name">Name used on the command line, e.g. "qwen-math-cot".</param>
/// <param name="Format">ChatML or plain.</param>
/// <param name="SystemPrompt">System message (ChatML only), or null for none.</param>
/// <param name="UserFormat">User turn / plain prompt with a "{problem}" placeholder.</param>
public sealed record PromptTemplate(string Name, PromptFormat Format, string? SystemPrompt, string UserFormat)
{
    /// <summary>The placeholder replaced by the problem text.</summary>
    public const string ProblemPlaceholder = "{problem}";

    /// <summary>Messages of the prompt (ChatML) — for plain templates, one user message.</summary>
    public IReadOnlyList<ChatMessage> Messages(string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        string user = UserFormat.Replace(ProblemPlaceholder, problem, StringComparison.Ordinal);
        return SystemPrompt is null
            ? [new ChatMessage(ChatRole.User, user)]
            : [new ChatMessage(ChatRole.System, SystemPrompt), new ChatMessage(ChatRole.User, user)];
    }

    /// <summary>The prompt as text (ChatML ends with the assistant generation prompt).</summary>
    public string Render(string problem) => Format == PromptFormat.ChatMl
        ? ChatMl.Render(Messages(problem), addGenerationPrompt: true)
        : UserFormat.Replace(ProblemPlaceholder, problem, StringComparison.Ordinal);

    /// <summary>The prompt as tokens; problem text is never read as control tokens.</summary>
    public TokenEncoding Encode(ITokenizer tokenizer, string problem) => Format == PromptFormat.ChatMl
        ? ChatMl.Encode(tokenizer, Messages(problem), addGenerationPrompt: true)
        : tokenizer.Encode(Render(problem), SpecialTokenPolicy.Text);
}

/// <summary>The named templates.</summary>
public static class PromptTemplates
{
    /// <summary>Qwen2.5-Math's chain-of-thought system prompt.</summary>
    public const string QwenMathCotSystemPrompt = "Please reason step by step, and put your final answer within \\boxed{}.";

    /// <summary>ChatML, Qwen math CoT system prompt, problem as the user turn (Qwen2.5-Math "qwen25-math-cot").</summary>
    public static readonly PromptTemplate QwenMathCot =
        new("qwen-math-cot", PromptFormat.ChatMl, QwenMathCotSystemPrompt, PromptTemplate.ProblemPlaceholder);

    /// <summary>ChatML with the problem as the only (user) turn, no system message.</summary>
    public static readonly PromptTemplate ChatMlPlain =
        new("chatml", PromptFormat.ChatMl, null, PromptTemplate.ProblemPlaceholder);

    /// <summary>Plain text for base models: the problem, then the CoT instruction on its own line.</summary>
    public static readonly PromptTemplate PlainCot =
        new("plain-cot", PromptFormat.Plain, null, "{problem}\n" + QwenMathCotSystemPrompt + "\n");

    /// <summary>Plain question/answer prompt for base models.</summary>
    public static readonly PromptTemplate PlainQa =
        new("plain-qa", PromptFormat.Plain, null, "Question: {problem}\nAnswer:");

    /// <summary>All named templates.</summary>
    public static IReadOnlyList<PromptTemplate> All { get; } = [QwenMathCot, ChatMlPlain, PlainCot, PlainQa];

    /// <summary>The template called <paramref name="name"/>.</summary>
    public static PromptTemplate Get(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException(
            $"unknown prompt template \"{name}\"; known: {string.Join(", ", All.Select(t => t.Name))}", nameof(name));
}
