// JinjaTemplate: a parsed chat template (the Jinja subset Hugging Face chat templates use) and
// its rendering with given variables. Parse once, render many times; rendering is pure except for
// strftime_now, which reads Clock. Values passed in: strings, bools, integers, floats, lists,
// string-keyed dictionaries, JsonElement (see JinjaValue.FromClr).
// What is supported: {{ }}, {% if/elif/else %}, {% for %} (loop.*, else, inline if, break/continue),
// {% set %} (names, tuples, namespace attributes, blocks), {% macro %}, comments, whitespace control,
// the filters and tests of JinjaBuiltins. Not supported: call/filter blocks, includes/inheritance.
using ReasonRL.Text.Chat.Jinja;

namespace ReasonRL.Text.Chat;

/// <summary>A parsed Jinja chat template.</summary>
public sealed class JinjaTemplate
{
    private readonly TemplateSource _source;
    private readonly IReadOnlyList<Node> _program;

    private JinjaTemplate(TemplateSource source, IReadOnlyList<Node> program)
    {
        _source = source;
        _program = program;
    }

    /// <summary>Where the template came from (used in error messages).</summary>
    public string SourceName => _source.Name;

    /// <summary>The template text as written.</summary>
    public string Text => _source.Text;

    /// <summary>Time read by strftime_now (local time by default, as transformers does).</summary>
    public Func<DateTime> Clock { get; set; } = () => DateTime.Now;

    /// <summary>Parses a template.</summary>
    /// <param name="text">Template source.</param>
    /// <param name="sourceName">Named in errors, e.g. "models/x/tokenizer_config.json (chat_template)".</param>
    /// <exception cref="ChatTemplateException">A syntax error or an unsupported statement, with line:column.</exception>
    public static JinjaTemplate Parse(string text, string sourceName = "<template>")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(sourceName);
        var source = new TemplateSource(sourceName, text);
        return new JinjaTemplate(source, JinjaParser.Parse(source));
    }

    /// <summary>Renders with the given variables (names as the template uses them, e.g. "messages").</summary>
    /// <exception cref="ChatTemplateException">A type error while rendering, or the template's raise_exception(…)
    /// (<see cref="ChatTemplateException.RaisedByTemplate"/>).</exception>
    public string Render(IReadOnlyDictionary<string, object?> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        var converted = variables.ToDictionary(v => v.Key, v => JinjaValue.FromClr(v.Value), StringComparer.Ordinal);
        return JinjaInterpreter.Render(_source, _program, JinjaBuiltins.Globals(Clock), converted);
    }
}
