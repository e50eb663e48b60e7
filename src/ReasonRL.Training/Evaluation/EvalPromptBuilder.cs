// EvalPromptBuilder: question → prompt text and prompt token ids for `reasonrl eval`, by template name:
//   qwen-math-cot, chatml, plain-cot, plain-qa   the named templates of ReasonRL.Text.Chat.PromptTemplates
//                                                (qwen-math-cot: ChatML with Qwen2.5-Math's CoT system prompt);
//   few-shot                                     "Question: …\nAnswer: …" blocks (Data PromptTemplates.FewShot)
//                                                from given worked examples, then the question;
//   lab                                          the lab task's prompt, LabTask.Prompt(question) = question + "\n";
//   model                                        the model folder's own chat template (ReasonRL.Text.Chat.ChatTemplate,
//                                                ChatML when the folder has none): one user turn, question + "\n" +
//                                                the CoT instruction, then the generation prompt.
// Ids follow the project convention (Text's PromptIds.Of): [BosId if the tokenizer has one] + the template's encoding
// (ChatML control tokens by id; problem text never read as control tokens) — except "model", whose
// ids are HF apply_chat_template's: the rendered text encoded with special tokens recognised and
// no BOS added (the template writes its own, e.g. Llama 3's). Not a renderer of its own.
using ReasonRL.Data.Datasets;
using ReasonRL.Data.Lab;
using ReasonRL.Text;
using ReasonRL.Text.Chat;
using ChatTemplates = ReasonRL.Text.Chat.PromptTemplates;
using DataTemplates = ReasonRL.Data.Datasets.PromptTemplates;

namespace ReasonRL.Training.Evaluation;

/// <summary>A prompt as text (for the results file and reward models) and as model input ids.</summary>
/// <param name="Text">The rendered prompt.</param>
/// <param name="Ids">[BOS?] + encoded prompt.</param>
public sealed record EvalPrompt(string Text, int[] Ids);

/// <summary>Builds prompts with one template.</summary>
public sealed class EvalPromptBuilder
{
    /// <summary>Name of the few-shot template.</summary>
    public const string FewShotName = "few-shot";

    /// <summary>Name of the lab template.</summary>
    public const string LabName = "lab";

    /// <summary>Name of the model folder's own chat template.</summary>
    public const string ModelChatName = "model";

    private readonly ITokenizer _tokenizer;
    private readonly PromptTemplate? _template;        // a named ReasonRL.Text template, or
    private readonly Func<string, string>? _plain;     // a plain-text prompt (few-shot, lab), or
    private readonly ChatTemplate? _chat;               // the model folder's chat template

    /// <summary>Every accepted template name.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. ChatTemplates.All.Select(t => t.Name), FewShotName, LabName, ModelChatName];

    /// <summary>The template's name.</summary>
    public string Name { get; }

    /// <param name="tokenizer">Encodes the prompt.</param>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="shots">Worked examples for "few-shot" (all of them are used, in order); must be non-empty for it, ignored otherwise.</param>
    /// <param name="chatTemplate">The model's chat template for "model" (ChatTemplate.FromFolderOrFallback); ignored otherwise.</param>
    public EvalPromptBuilder(ITokenizer tokenizer, string name, IReadOnlyList<FewShotExample>? shots = null, ChatTemplate? chatTemplate = null)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(name);
        _tokenizer = tokenizer;
        Name = name;
        if (name == FewShotName)
        {
            IReadOnlyList<FewShotExample> examples = shots ?? [];
            if (examples.Count == 0) throw new ArgumentException("the few-shot template needs worked examples (e.g. --shots FILE --shot-count 4)", nameof(shots));
            _plain = q => DataTemplates.FewShot(examples, examples.Count, q);
        }
        else if (name == LabName)
        {
            _plain = LabTask.Prompt;
        }
        else if (name == ModelChatName)
        {
            _chat = chatTemplate ?? throw new ArgumentException("the model template needs the model folder's chat template", nameof(chatTemplate));
        }
        else
        {
            _template = ChatTemplates.All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException(
                $"unknown prompt template \"{name}\"; known: {string.Join(", ", Names)}", nameof(name));
        }
    }

    /// <summary>Worked examples for the few-shot template: the first <paramref name="count"/> problems with their solutions.</summary>
    public static IReadOnlyList<FewShotExample> ShotsFrom(IReadOnlyList<EvalProblem> problems, int count)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (count < 1 || count > problems.Count)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"shot count must be in [1, {problems.Count}] (the shots file has {problems.Count} rows)");
        return [.. problems.Take(count).Select(p => new FewShotExample(p.Question, p.Solution))];
    }

    /// <summary>The prompt for <paramref name="question"/>.</summary>
    public EvalPrompt Build(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        string text;
        TokenEncoding encoding;
        if (_chat is not null)
        {
            text = _chat.Render([new ChatMessage(ChatRole.User, question + "\n" + ChatTemplates.QwenMathCotSystemPrompt)], addGenerationPrompt: true);
            return new EvalPrompt(text, _tokenizer.Encode(text, SpecialTokenPolicy.Allow).Ids);
        }
        if (_plain is not null)
        {
            text = _plain(question);
            encoding = _tokenizer.Encode(text, SpecialTokenPolicy.Text);
        }
        else
        {
            text = _template!.Render(question);
            encoding = _template.Encode(_tokenizer, question);
        }
        return new EvalPrompt(text, PromptIds.Of(_tokenizer, encoding.Ids));
    }
}
