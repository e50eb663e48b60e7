// Chat templates from model folders, checked byte for byte against @huggingface/jinja: every case of
// tests/Fixtures/chat-templates/expected.json (template × conversation × add_generation_prompt ×
// variant, made by tools/chat-templates/render-fixtures.mjs) renders to exactly the reference's text,
// or, where the reference's template raised, raises the same message. The real Qwen3 template is
// read from ../shared; the Qwen2.5-, Llama 3.x- and SmolLM3-style templates are the committed folders.
using ReasonRL.Tests;
using ReasonRL.Text.Chat;
using System.Text.Json;

namespace ReasonRL.Text.Tests;

public class ChatTemplateFixtureTests
{
    private const string Regenerate = "regenerate with: cd tools/chat-templates && npm ci && node render-fixtures.mjs";

    internal static string FixtureDir { get; } = Path.Combine(SharedData.RepoRoot, "tests", "Fixtures", "chat-templates");

    private static readonly Lazy<JsonElement> Cases = new(() =>
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(FixtureDir, "expected.json")));
        return doc.RootElement.GetProperty("cases").Clone();
    });

    private static IEnumerable<JsonElement> AllCases() => Cases.Value.EnumerateArray();

    public static TheoryData<string> WrittenTemplateCases() =>
        [.. AllCases().Where(c => c.GetProperty("template").GetString() != "qwen3").Select(c => c.GetProperty("id").GetString()!)];

    public static TheoryData<string> Qwen3Cases() =>
        [.. AllCases().Where(c => c.GetProperty("template").GetString() == "qwen3").Select(c => c.GetProperty("id").GetString()!)];

    internal static ChatTemplate Load(string name) => name == "qwen3"
        ? ChatTemplate.FromTokenizerConfig(SharedData.PathOf("data/tokenizer/qwen3-tokenizer_config.json"))
            ?? throw new InvalidOperationException("the shared Qwen3 config has no chat_template")
        : ChatTemplate.FromFolder(Path.Combine(FixtureDir, name))
            ?? throw new InvalidOperationException($"fixture folder {name} has no chat template; {Regenerate}");

    private static readonly Dictionary<string, ChatTemplate> Loaded = [];

    private static ChatTemplate Template(string name)
    {
        lock (Loaded)
        {
            if (!Loaded.TryGetValue(name, out ChatTemplate? t)) Loaded[name] = t = Load(name);
            return t;
        }
    }

    private static void Check(string id)
    {
        JsonElement c = AllCases().Single(x => x.GetProperty("id").GetString() == id);
        ChatTemplate template = Template(c.GetProperty("template").GetString()!);
        Dictionary<string, object?> variables = c.GetProperty("variables").EnumerateObject()
            .ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
        if (c.TryGetProperty("expected", out JsonElement expected))
        {
            Assert.Equal(expected.GetString(), template.Render(variables));
        }
        else
        {
            var error = Assert.Throws<ChatTemplateException>(() => template.Render(variables));
            Assert.True(error.RaisedByTemplate, error.Message);
            Assert.Equal(c.GetProperty("error").GetString(), error.Reason);
        }
    }

    [Theory]
    [MemberData(nameof(WrittenTemplateCases))]
    public void WrittenTemplatesRenderAsTheReference(string id) => Check(id);

    [SharedDataTheory]
    [Trait(SharedData.Trait, SharedData.TraitValue)]
    [MemberData(nameof(Qwen3Cases))]
    public void RealQwen3TemplateRendersAsTheReference(string id) => Check(id);

    [Fact]
    public void FixturesCoverEveryTemplateAndShape()
    {
        string[] ids = [.. AllCases().Select(c => c.GetProperty("id").GetString()!)];
        foreach (string template in new[] { "qwen3", "qwen2.5", "llama3", "smollm3" })
        {
            foreach (string shape in new[] { "single", "single-system", "multi", "multi-system" })
            {
                Assert.Contains($"{template}/{shape}/gen", ids);
                Assert.Contains($"{template}/{shape}/nogen", ids);
            }
        }
        Assert.Contains("qwen3/multi/gen/enable_thinking=false", ids);
        Assert.Contains("qwen3/think-inline/gen/enable_thinking=true", ids);
    }

    // The ChatMessage API (what callers use) gives the same text as the data path for plain turns.
    [Fact]
    public void ChatMessageRenderingEqualsTheFixtures()
    {
        int checkedCases = 0;
        foreach (JsonElement c in AllCases())
        {
            string name = c.GetProperty("template").GetString()!;
            if (name == "qwen3" && SharedData.Root is null) continue;
            if (!c.TryGetProperty("expected", out JsonElement expected)) continue;
            JsonElement variables = c.GetProperty("variables");
            JsonElement[] messages = [.. variables.GetProperty("messages").EnumerateArray()];
            if (messages.Any(m => m.EnumerateObject().Any(p => p.Name is not ("role" or "content")))) continue;
            if (messages.Any(m => m.GetProperty("role").GetString() is not ("system" or "user" or "assistant"))) continue;
            ChatMessage[] turns = [.. messages.Select(m => new ChatMessage(
                Enum.Parse<ChatRole>(m.GetProperty("role").GetString()!, ignoreCase: true), m.GetProperty("content").GetString()!))];
            Dictionary<string, object?> extra = variables.EnumerateObject()
                .Where(p => p.Name is not ("messages" or "add_generation_prompt"))
                .ToDictionary(p => p.Name, p => (object?)p.Value.Clone());
            bool generation = variables.GetProperty("add_generation_prompt").GetBoolean();
            Assert.Equal(expected.GetString(), Template(name).Render(turns, generation, extra));
            checkedCases++;
        }
        Assert.True(checkedCases >= 40, $"only {checkedCases} plain cases were checked");
    }
}

public sealed class ChatTemplateLoadingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("reasonrl-chat-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_dir, name), text);

    [Fact]
    public void NamedListUsesDefaultUnlessANameIsGiven()
    {
        Write("tokenizer_config.json", """
            {"eos_token": {"content": "</s>"}, "chat_template": [
              {"name": "default", "template": "D{{ eos_token }}"}, {"name": "tool_use", "template": "T{{ messages|length }}"}]}
            """);
        ChatMessage[] one = [new(ChatRole.User, "x")];
        Assert.Equal("D</s>", ChatTemplate.FromFolder(_dir)!.Render(one, addGenerationPrompt: false));
        Assert.Equal("T1", ChatTemplate.FromFolder(_dir, "tool_use")!.Render(one, addGenerationPrompt: false));
        var error = Assert.Throws<ChatTemplateException>(() => ChatTemplate.FromFolder(_dir, "rag"));
        Assert.Contains("default, tool_use", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ChatTemplateJinjaFileTakesPrecedenceAndSyntaxErrorsNameIt()
    {
        Write("tokenizer_config.json", """{"bos_token": "<s>", "chat_template": "config"}""");
        Write("chat_template.jinja", "{{ bos_token }}file\n");
        ChatTemplate template = ChatTemplate.FromFolder(_dir)!;
        Assert.Equal("<s>file", template.Render([], addGenerationPrompt: false));
        Assert.EndsWith("chat_template.jinja", template.Origin, StringComparison.Ordinal);
        Write("chat_template.jinja", "ok\n{% if %}");
        var error = Assert.Throws<ChatTemplateException>(() => ChatTemplate.FromFolder(_dir));
        Assert.Equal((2, 7), (error.Line, error.Column));
        Assert.Contains("chat_template.jinja:2:7:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderWithoutTemplateFallsBackToNamedChatMl()
    {
        Write("tokenizer_config.json", """{"eos_token": "<|im_end|>"}""");
        Assert.Null(ChatTemplate.FromFolder(_dir));
        ChatTemplate fallback = ChatTemplate.FromFolderOrFallback(_dir);
        ChatMessage[] turns = [new(ChatRole.System, "s"), new(ChatRole.User, "u")];
        Assert.Equal(ChatMl.Render(turns, addGenerationPrompt: true), fallback.Render(turns, addGenerationPrompt: true));
        Assert.Null(fallback.Jinja);
        Assert.Throws<ArgumentException>(() => ChatTemplate.Fallback("vicuna"));
    }

    [Fact]
    public void MalformedChatTemplateFieldIsAFormatError()
    {
        Write("tokenizer_config.json", """{"chat_template": 3}""");
        var error = Assert.Throws<TokenizerFormatException>(() => ChatTemplate.FromFolder(_dir));
        Assert.Contains("tokenizer_config.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("chat_template must be a string or a list", error.Message, StringComparison.Ordinal);
        // The tokenizer itself still loads: only the chat template is refused.
        Assert.Empty(TokenizerConfig.Read(Path.Combine(_dir, "tokenizer_config.json")).ChatTemplates);
    }
}
