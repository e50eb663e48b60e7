// The Jinja subset, one construct at a time: every snippet of tests/Fixtures/chat-templates/snippets.json
// (written in tools/chat-templates/snippets.json, rendered by @huggingface/jinja) renders byte-identical;
// syntax and runtime errors are ChatTemplateException naming the source and line:column; the one
// deliberate difference from the reference (Python's strip(chars)) is pinned down.
using ReasonRL.Text.Chat;
using System.Text.Json;

namespace ReasonRL.Text.Tests;

public class JinjaTemplateTests
{
    private static readonly Lazy<JsonElement> Snippets = new(() =>
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(ChatTemplateFixtureTests.FixtureDir, "snippets.json")));
        return doc.RootElement.GetProperty("snippets").Clone();
    });

    public static TheoryData<string> SnippetNames() => [.. Snippets.Value.EnumerateArray().Select(s => s.GetProperty("name").GetString()!)];

    [Theory]
    [MemberData(nameof(SnippetNames))]
    public void SnippetRendersAsTheReference(string name)
    {
        JsonElement s = Snippets.Value.EnumerateArray().Single(x => x.GetProperty("name").GetString() == name);
        JinjaTemplate template = JinjaTemplate.Parse(s.GetProperty("template").GetString()!, name);
        Dictionary<string, object?> variables = s.GetProperty("variables").EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        if (s.TryGetProperty("expected", out JsonElement expected))
        {
            Assert.Equal(expected.GetString(), template.Render(variables));
        }
        else
        {
            var error = Assert.Throws<ChatTemplateException>(() => template.Render(variables));
            Assert.Equal(s.GetProperty("error").GetString(), error.Reason);
        }
    }

    [Theory]
    [InlineData("{% if x %}\nunclosed", 1, 1, "'if' is never closed")]
    [InlineData("ok\n  {{ 'abc }}", 2, 6, "string literal is never closed")]
    [InlineData("{{ a.b( }}", 1, 9, "expected an expression, found '}}'")]
    [InlineData("line one\n{% call m() %}{% endcall %}", 2, 4, "'call' statement is not supported")]
    [InlineData("{% macro m(a=1, b) %}{% endmacro %}", 1, 17, "positional arguments must come before keyword arguments")]
    [InlineData("{% endfor %}", 1, 4, "unknown or misplaced statement 'endfor'")]
    [InlineData("{{ 1 + }}", 1, 8, "expected an expression")]
    [InlineData("a\nb\n  {% for in x %}{% endfor %}", 3, 13, "expected 'in' after the loop variable")]
    [InlineData("{# never closed", 1, 1, "comment")]
    public void SyntaxErrorsNameTheSourceAndPosition(string text, int line, int column, string reason)
    {
        var error = Assert.Throws<ChatTemplateException>(() => JinjaTemplate.Parse(text, "folder/tokenizer_config.json (chat_template)"));
        Assert.Equal("folder/tokenizer_config.json (chat_template)", error.Origin);
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"folder/tokenizer_config.json (chat_template):{line}:{column}: ", error.Message, StringComparison.Ordinal);
        Assert.False(error.RaisedByTemplate);
    }

    [Theory]
    [InlineData("{{ messages|frobnicate }}", 1, 12, "filter 'frobnicate'")]
    [InlineData("x\n{{ 'a' - 1 }}", 2, 8, "unsupported operator '-'")]
    [InlineData("{{ none.x() }}", 1, 9, "'.x' is not a function (it is undefined)")]
    [InlineData("{% for m in 3 %}{% endfor %}", 1, 13, "needs a list or a dict")]
    [InlineData("{{ x is fancy }}", 1, 6, "unknown test 'fancy'")]
    public void RuntimeErrorsNameThePositionOfTheFailingExpression(string text, int line, int column, string reason)
    {
        JinjaTemplate template = JinjaTemplate.Parse(text, "t.jinja");
        var error = Assert.Throws<ChatTemplateException>(() => template.Render(new Dictionary<string, object?> { ["messages"] = new List<object?>() }));
        Assert.Equal((line, column), (error.Line, error.Column));
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    // Python (transformers) strips exactly the given characters; @huggingface/jinja ignores the
    // argument and trims all whitespace. We follow Python: models were trained on its rendering.
    [Fact]
    public void StripWithCharactersFollowsPython()
    {
        JinjaTemplate template = JinjaTemplate.Parse("[{{ s.strip('\\n') }}][{{ s.lstrip('\\n') }}][{{ s.rstrip('\\n') }}][{{ s.strip('x ') }}]");
        Assert.Equal("[ a ][ a \n][\n a ][\n a \n]", template.Render(new Dictionary<string, object?> { ["s"] = "\n a \n" }));
    }

    [Fact]
    public void StrftimeNowReadsTheInjectedClock()
    {
        JinjaTemplate template = JinjaTemplate.Parse("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%Y-%m-%d %H:%M %B %%') }}");
        template.Clock = () => new DateTime(2026, 7, 4, 9, 5, 0);
        Assert.Equal("04 Jul 2026|2026-07-04 09:05 July %", template.Render(new Dictionary<string, object?>()));
    }

    [Fact]
    public void ClrValuesArePassedAsTemplateValues()
    {
        JinjaTemplate template = JinjaTemplate.Parse("{{ n + 1 }} {{ f }} {{ flags|length }} {{ d.k }} {{ names|join('+') }}");
        var variables = new Dictionary<string, object?>
        {
            ["n"] = 41, ["f"] = 0.5f, ["flags"] = new[] { true, false },
            ["d"] = new Dictionary<string, string> { ["k"] = "v" }, ["names"] = new List<string> { "a", "b" },
        };
        Assert.Equal("42 0.5 2 v a+b", template.Render(variables));
        Assert.Throws<ArgumentException>(() => template.Render(new Dictionary<string, object?> { ["n"] = new Uri("http://x") }));
    }
}
