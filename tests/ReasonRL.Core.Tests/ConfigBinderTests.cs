// ConfigBinder: typed reads with file:line errors, overrides naming the argument, unknown keys (by
// getters + RejectUnknown, and by Section's key list), nested mappings and number lists, line-
// preserving block sections, the caller's exception type, and the resolved YAML round trip.
namespace ReasonRL.Core.Tests;

public sealed class ConfigBinderTests
{
    private sealed class MyConfigException(string origin, int line, string key, string problem) : ConfigException(origin, line, key, problem);

    private static ConfigBinder Parse(string yaml, IReadOnlyList<string>? overrides = null, IReadOnlyCollection<string>? blocks = null) =>
        ConfigBinder.Parse(yaml, "c.yaml", overrides, blocks, (o, l, k, p) => new MyConfigException(o, l, k, p));

    [Fact]
    public void Reads_typed_values_defaults_and_overrides()
    {
        var b = Parse("run:\n  name: exp\n  steps: 12\nopt:\n  lr: 0.5\n  clip: null\n  on: True\n", ["run.steps=20"]);
        Assert.Equal("exp", b.String("run.name", "x"));
        Assert.Equal(20, b.Long("run.steps", 1, 1, 100));
        Assert.Equal(0.5, b.Double("opt.lr", 1, 0, 1, "a number in [0, 1]"));
        Assert.Null(b.OptionalDouble("opt.clip", 3.0, 0, 10, "null or a number"));
        Assert.True(b.Bool("opt.on", false));
        Assert.Equal(7, b.Long("opt.missing", 7, 0, 10));
        Assert.Equal(DayOfWeek.Monday, b.Choice("opt.day", DayOfWeek.Monday, [("mon", DayOfWeek.Monday), ("tue", DayOfWeek.Tuesday)]));
        b.RejectUnknown();
        string yaml = b.RenderYaml("resolved");
        Assert.Contains("run:\n  name: \"exp\"\n  steps: 20\n", yaml, StringComparison.Ordinal);
        var again = Parse(yaml);
        Assert.Equal(20, again.Long("run.steps", 1, 1, 100));
        Assert.Null(again.OptionalDouble("opt.clip", 3.0, 0, 10, "null or a number"));
    }

    [Theory]
    [InlineData("a:\n  x: 1.5\n", "c.yaml:2: a.x: is 1.5; expected a number in [0, 1]")]
    [InlineData("a:\n  n: many\n", "c.yaml:2: a.n: 'many' is not an integer; expected an integer in [1, 9]")]
    [InlineData("a:\n  f: yes\n", "c.yaml:2: a.f: 'yes' is not a boolean; expected true or false")]
    [InlineData("a:\n  x: lots\n", "c.yaml:2: a.x: 'lots'; expected a number in [0, 1]")]
    [InlineData("a:\n  x: [1]\n", "c.yaml:2: a.x: is a list; expected a number in [0, 1]")]
    [InlineData("a:\n  y: 1\n", "c.yaml:2: a.y: unknown key; expected one of a.x, a.n, a.f")]
    [InlineData("b:\n  y: 1\n", "c.yaml:2: b.y: unknown key; expected a section among a")]
    [InlineData("a: [1, 2]\n", "c.yaml:1: a: expected a mapping of keys under this section")]
    [InlineData("a:\n  x: 1\n  x: 1\n", "c.yaml:3: (yaml): not valid YAML: Duplicate key")]
    [InlineData("- 1\n", "c.yaml:1: (root): expected a mapping of sections")]
    public void Errors_name_file_line_key_and_expected_value(string yaml, string message)
    {
        var e = Assert.ThrowsAny<ConfigException>(() =>
        {
            var b = Parse(yaml);
            b.Double("a.x", 0, 0, 1, "a number in [0, 1]");
            b.Long("a.n", 1, 1, 9);
            b.Bool("a.f", false);
            b.RejectUnknown();
        });
        Assert.IsType<MyConfigException>(e);
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_name_the_argument()
    {
        var e = Assert.Throws<MyConfigException>(() => Parse("", ["a.x=2"]).Double("a.x", 0, 0, 1, "a number in [0, 1]"));
        Assert.Equal("command line override #1 'a.x=2': a.x: is 2; expected a number in [0, 1]", e.Message);
        Assert.Equal((0, "a.x"), (e.Line, e.Key));
        Assert.Contains("expected dotted.key=value", Assert.Throws<MyConfigException>(() => Parse("", ["a.x"])).Message, StringComparison.Ordinal);
        Assert.Contains("cannot be overridden", Assert.Throws<MyConfigException>(() => Parse("", ["r.k=1"], ["r"])).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sections_check_their_key_lists_and_read_nested_values_and_lists()
    {
        var b = Parse("top: { a: 1, refs: [0.5, 2] }\nother:\n  kind: z\n");
        Assert.Equal(["top", "other"], b.Section("", ["top", "other", "absent"])!);
        Assert.Equal(["a", "refs"], b.Section("top", ["a", "refs", "b"])!);
        Assert.Null(b.Section("absent", ["q"]));
        Assert.Equal([0.5, 2.0], b.DoubleList("top.refs", 0, 10, "a number in [0, 10]")!);
        Assert.Null(b.DoubleList("top.b", 0, 10, "a number in [0, 10]"));
        Assert.True(b.IsSet("other.kind"));
        var unknown = Assert.Throws<MyConfigException>(() => b.Section("other", ["name"]));
        Assert.Equal("c.yaml:3: other.kind: unknown key; expected one of name", unknown.Message);
        var notMapping = Assert.Throws<MyConfigException>(() => Parse("top: [1]\n").Section("top", ["a"]));
        Assert.Equal("c.yaml:1: top: expected a mapping with keys a", notMapping.Message);
        var item = Assert.Throws<MyConfigException>(() => Parse("l: [1, x]\n").DoubleList("l", 0, 10, "a number in [0, 10]"));
        Assert.Equal("c.yaml:1: l[1]: 'x'; expected a number in [0, 10]", item.Message);
        var missing = Assert.Throws<MyConfigException>(() => Parse("\nsec:\n  a: 1\n").Fail("sec.kind", "missing", at: "sec"));
        Assert.Equal("c.yaml:3: sec.kind: missing", missing.Message);
    }

    [Fact]
    public void String_lists_read_each_item_and_name_a_bad_one()
    {
        var b = Parse("s:\n  tokens: [\"<|endoftext|>\", '<|im_end|>', plain]\n  one: x\n");
        Assert.Equal(["<|endoftext|>", "<|im_end|>", "plain"], b.StringList("s.tokens")!);
        Assert.Null(b.StringList("s.absent"));
        Assert.Equal("c.yaml:3: s.one: expected a list of strings, e.g. [\"a\", \"b\"]; each a non-empty string",
            Assert.Throws<MyConfigException>(() => b.StringList("s.one")).Message);
        Assert.Equal("c.yaml:1: l[1]: is empty; expected a non-empty string", Assert.Throws<MyConfigException>(() => Parse("l: [a, '']\n").StringList("l")).Message);
        Assert.Equal("c.yaml:1: l[0]: is a list; expected a non-empty string", Assert.Throws<MyConfigException>(() => Parse("l: [[a]]\n").StringList("l")).Message);
    }

    [Fact]
    public void Block_sections_keep_their_line_numbers()
    {
        var b = Parse("a:\n  x: 1\nreward:\n  success: { correct: 1 }\n  shaping: { kind: clip }\n", blocks: ["reward"]);
        string block = b.Block("reward")!;
        Assert.Equal("shaping: { kind: clip }", block.Split('\n')[4]);
        b.Double("a.x", 0, 0, 1, "a number in [0, 1]");
        b.RejectUnknown();
        Assert.EndsWith("reward:\n  success: { correct: 1 }\n  shaping: { kind: clip }\n", b.RenderYaml("h"), StringComparison.Ordinal);
        Assert.True(Parse("").IsEmpty);
        Assert.Contains("(yaml)", Assert.Throws<MyConfigException>(() => Parse("a: [")).Message, StringComparison.Ordinal);
    }
}
