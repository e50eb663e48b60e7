// ChatTemplateException: a chat template that cannot be parsed or rendered — a syntax error, an
// unsupported construct, a type error while rendering, or the template's own raise_exception(…)
// — naming the template's source (file, or file + template name) and the line:column in it.
namespace ReasonRL.Text.Chat;

/// <summary>A chat template failed to parse or render.</summary>
public sealed class ChatTemplateException : Exception
{
    /// <summary>Where the template came from, e.g. "models/qwen3/tokenizer_config.json (chat_template)".</summary>
    public string Origin { get; }

    /// <summary>1-based line in the template text (0 when unknown).</summary>
    public int Line { get; }

    /// <summary>1-based column in the template text (0 when unknown).</summary>
    public int Column { get; }

    /// <summary>The message without the location prefix; for raise_exception, exactly its argument.</summary>
    public string Reason { get; }

    /// <summary>True when the template itself called raise_exception(…) (a rejected conversation, not a bad template).</summary>
    public bool RaisedByTemplate { get; }

    /// <summary>Creates the error.</summary>
    public ChatTemplateException(string source, int line, int column, string reason, bool raisedByTemplate = false)
        : base($"{source}:{line}:{column}: {(raisedByTemplate ? "the template raised: " : "")}{reason}")
    {
        Origin = source;
        Line = line;
        Column = column;
        Reason = reason;
        RaisedByTemplate = raisedByTemplate;
    }

    /// <summary>Required by the exception pattern; prefer the located constructor.</summary>
    public ChatTemplateException() : this("<template>", 0, 0, "chat template error") { }

    /// <summary>Required by the exception pattern; prefer the located constructor.</summary>
    public ChatTemplateException(string message) : this("<template>", 0, 0, message) { }

    /// <summary>Required by the exception pattern; prefer the located constructor.</summary>
    public ChatTemplateException(string message, Exception innerException) : base(message, innerException)
    {
        Origin = "<template>";
        Reason = message;
    }
}
