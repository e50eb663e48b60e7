// ChatTemplate: a model's own chat format, as its folder ships it — the Jinja `chat_template` of
// `tokenizer_config.json` (a string, or a list of {"name", "template"} of which "default" is used
// unless a name is asked for), or a separate `chat_template.jinja` / `chat_template.json` (newer
// transformers save it there) — rendered with the variables transformers' apply_chat_template passes:
// messages, add_generation_prompt, the special tokens (bos_token, eos_token, pad_token, unk_token)
// and any extra keyword (enable_thinking, tools, date_string, …). When a folder has none, the
// hard-coded ChatML renderer remains as the named fallback "chatml".
// It renders text only: encode it with SpecialTokenPolicy.Allow (what HF tokenizers do with a
// rendered chat) when the message contents are trusted; ChatMl.Encode is the injection-safe path.
// Reference: transformers `PreTrainedTokenizerBase.apply_chat_template` and `get_chat_template`.
using System.Text.Json;

namespace ReasonRL.Text.Chat;

/// <summary>A model's chat template: Jinja from its folder, or a named built-in fallback.</summary>
public sealed class ChatTemplate
{
    /// <summary>Name of the built-in ChatML fallback.</summary>
    public const string ChatMlFallbackName = "chatml";

    /// <summary>Names of the built-in fallbacks.</summary>
    public static IReadOnlyList<string> FallbackNames { get; } = [ChatMlFallbackName];

    private readonly JinjaTemplate? _jinja;
    private readonly IReadOnlyDictionary<string, object?> _specialTokens;

    private ChatTemplate(string origin, JinjaTemplate? jinja, IReadOnlyDictionary<string, object?> specialTokens)
    {
        Origin = origin;
        _jinja = jinja;
        _specialTokens = specialTokens;
    }

    /// <summary>Where the template came from: "…/tokenizer_config.json (chat_template)" or "built-in chatml".</summary>
    public string Origin { get; }

    /// <summary>The Jinja template, or null for the built-in ChatML fallback.</summary>
    public JinjaTemplate? Jinja => _jinja;

    /// <summary>A template from Jinja text, with the special tokens it may refer to.</summary>
    /// <exception cref="ChatTemplateException">The text does not parse.</exception>
    public static ChatTemplate FromText(string text, string origin, TokenizerConfig? specialTokens = null) =>
        new(origin, JinjaTemplate.Parse(text, origin), SpecialTokenVariables(specialTokens));

    /// <summary>The built-in fallback called <paramref name="name"/> (see <see cref="FallbackNames"/>).</summary>
    public static ChatTemplate Fallback(string name) => name == ChatMlFallbackName
        ? new ChatTemplate("built-in chatml", null, SpecialTokenVariables(null))
        : throw new ArgumentException($"unknown built-in chat template \"{name}\"; known: {string.Join(", ", FallbackNames)}", nameof(name));

    /// <summary>The chat template of a model folder (see the file comment for where it is looked for);
    /// null when the folder has none.</summary>
    /// <param name="folder">Hugging Face model folder.</param>
    /// <param name="name">Which of several named templates (e.g. "tool_use"); null for "default".</param>
    /// <exception cref="ChatTemplateException">The template does not parse, or the named one is absent.</exception>
    /// <exception cref="TokenizerFormatException">chat_template is neither a string nor a list of {name, template}.</exception>
    public static ChatTemplate? FromFolder(string folder, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(folder);
        string configPath = Path.Combine(folder, "tokenizer_config.json");
        TokenizerConfig? config = File.Exists(configPath) ? TokenizerConfig.Read(configPath) : null;
        string jinjaPath = Path.Combine(folder, "chat_template.jinja");
        if (File.Exists(jinjaPath)) return FromText(File.ReadAllText(jinjaPath), jinjaPath, config);
        string jsonPath = Path.Combine(folder, "chat_template.json");
        if (File.Exists(jsonPath) && ReadTemplates(jsonPath) is { Count: > 0 } separate) return Select(separate, name, jsonPath, config);
        return config is null ? null : FromConfig(configPath, config, name);
    }

    /// <summary>The folder's template, else the built-in fallback <paramref name="fallback"/>.</summary>
    public static ChatTemplate FromFolderOrFallback(string folder, string fallback = ChatMlFallbackName, string? name = null) =>
        FromFolder(folder, name) ?? Fallback(fallback);

    /// <summary>The chat template of a tokenizer_config.json file; null when it has none.</summary>
    /// <exception cref="TokenizerFormatException">chat_template is neither a string nor a list of {name, template}.</exception>
    public static ChatTemplate? FromTokenizerConfig(string path, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        return FromConfig(path, TokenizerConfig.Read(path), name);
    }

    private static ChatTemplate? FromConfig(string path, TokenizerConfig config, string? name)
    {
        IReadOnlyDictionary<string, string> templates = ReadTemplates(path);
        return templates.Count == 0 ? null : Select(templates, name, path, config);
    }

    // Strict: invalid JSON or a chat_template of the wrong shape is a TokenizerFormatException naming the file.
    private static IReadOnlyDictionary<string, string> ReadTemplates(string path)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(path));
            return TokenizerConfig.ReadChatTemplates(doc.RootElement, path);
        }
        catch (JsonException e)
        {
            throw new TokenizerFormatException(path, $"not valid JSON: {e.Message}");
        }
    }

    private static ChatTemplate Select(IReadOnlyDictionary<string, string> templates, string? name, string path, TokenizerConfig? config)
    {
        string key = name ?? TokenizerConfig.DefaultChatTemplateName;
        if (!templates.TryGetValue(key, out string? text))
        {
            throw new ChatTemplateException(path, 0, 0,
                $"no chat template named \"{key}\"; the file has: {string.Join(", ", templates.Keys)}");
        }
        string origin = templates.Count == 1 && name is null ? $"{path} (chat_template)" : $"{path} (chat_template \"{key}\")";
        return FromText(text, origin, config);
    }

    private static Dictionary<string, object?> SpecialTokenVariables(TokenizerConfig? config)
    {
        var variables = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (config?.BosToken is string bos) variables["bos_token"] = bos;
        if (config?.EosToken is string eos) variables["eos_token"] = eos;
        if (config?.PadToken is string pad) variables["pad_token"] = pad;
        if (config?.UnkToken is string unk) variables["unk_token"] = unk;
        return variables;
    }

    /// <summary>Renders a conversation.</summary>
    /// <param name="messages">The turns, each passed to the template as {"role", "content"}.</param>
    /// <param name="addGenerationPrompt">Ends with the opening of an assistant turn.</param>
    /// <param name="variables">Extra template variables, e.g. {"enable_thinking": false}; they override
    /// the special tokens but not messages/add_generation_prompt.</param>
    /// <exception cref="ChatTemplateException">The template rejected the conversation (raise_exception) or failed.</exception>
    public string Render(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt, IReadOnlyDictionary<string, object?>? variables = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        if (_jinja is null)
        {
            if (variables is { Count: > 0 }) throw new ArgumentException("the built-in ChatML template takes no extra variables", nameof(variables));
            return ChatMl.Render(messages, addGenerationPrompt);
        }
        var context = new Dictionary<string, object?>(_specialTokens, StringComparer.Ordinal);
        if (variables is not null) foreach (KeyValuePair<string, object?> v in variables) context[v.Key] = v.Value;
        context["messages"] = messages.Select(m => (object?)new Dictionary<string, object?> { ["role"] = m.RoleName, ["content"] = m.Content }).ToList();
        context["add_generation_prompt"] = addGenerationPrompt;
        return _jinja.Render(context);
    }

    /// <summary>Renders with a full variable set (messages given as data, e.g. parsed JSON with
    /// reasoning_content or tool_calls); the special tokens are added unless given.</summary>
    public string Render(IReadOnlyDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        if (_jinja is null) throw new InvalidOperationException("the built-in ChatML template renders ChatMessage lists only");
        var context = new Dictionary<string, object?>(_specialTokens, StringComparer.Ordinal);
        foreach (KeyValuePair<string, object?> v in variables) context[v.Key] = v.Value;
        return _jinja.Render(context);
    }
}
