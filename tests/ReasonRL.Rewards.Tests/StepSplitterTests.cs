// StepSplitter: separators, regex, tags, and the documented blank-step rule (trim, drop blanks).
using ReasonRL.Rewards.Steps;

namespace ReasonRL.Rewards.Tests;

public sealed class StepSplitterTests
{
    private static string[] Texts(StepSplitOptions options, string response) => new StepSplitter(options).SplitText(response);

    [Fact]
    public void Lines_split_on_newline_and_give_exact_spans()
    {
        var response = "3*4 = 12\n2 + 12 = 14\n\\boxed{14}";
        var spans = new StepSplitter(StepSplitOptions.Lines).Split(response);
        Assert.Equal([new StepSpan(0, 8), new StepSpan(9, 20), new StepSpan(21, 31)], spans);
        Assert.Equal("2 + 12 = 14", spans[1].TextOf(response));
    }

    [Fact]
    public void Paragraphs_keep_single_newlines_inside_a_step()
    {
        Assert.Equal(["a\nb", "c"], Texts(StepSplitOptions.Paragraphs, "a\nb\n\nc"));
    }

    [Fact]
    public void Blank_pieces_are_dropped_and_steps_are_trimmed()
    {
        // "a\n\n\n\nb" on "\n\n": pieces "a", "", "b" → the empty piece is not a step.
        Assert.Equal(["a", "b"], Texts(StepSplitOptions.Paragraphs, "a\n\n\n\nb"));
        // Odd newline run: "\nb" is trimmed to "b"; trailing spaces never end a step.
        var spans = new StepSplitter(StepSplitOptions.Paragraphs).Split("a  \n\n\nb \n");
        Assert.Equal([new StepSpan(0, 1), new StepSpan(6, 7)], spans); // a=0, spaces 1–2, \n 3–5, b=6
        Assert.Empty(new StepSplitter(StepSplitOptions.Lines).Split(" \n\t\n  "));
        Assert.Empty(new StepSplitter(StepSplitOptions.Lines).Split(""));
    }

    [Fact]
    public void A_response_without_separator_is_one_step()
    {
        Assert.Equal(["all in one"], Texts(StepSplitOptions.Lines, "  all in one  "));
    }

    [Fact]
    public void Regex_splits_on_each_match()
    {
        var options = new StepSplitOptions(StepSplitKind.Regex, @"\n(?=Step \d)");
        Assert.Equal(["Step 1: x\ny", "Step 2: z"], Texts(options, "Step 1: x\ny\nStep 2: z"));
    }

    [Fact]
    public void Tag_terminates_steps_and_untagged_tail_is_a_step()
    {
        var options = new StepSplitOptions(StepSplitKind.Tag, "ки");
        Assert.Equal(["Step 1: 2+2=4", "Step 2: 4*3=12", "The answer is 12"],
            Texts(options, "Step 1: 2+2=4 ки\nStep 2: 4*3=12 ки\nThe answer is 12"));
        Assert.Equal(["a", "b"], Texts(options, "a ки b ки"));
    }

    [Fact]
    public void Bad_patterns_are_rejected_with_the_reason()
    {
        Assert.Contains("non-empty", Assert.Throws<ArgumentException>(() => new StepSplitter(new StepSplitOptions(StepSplitKind.Separator, ""))).Message, StringComparison.Ordinal);
        Assert.Contains("does not compile", Assert.Throws<ArgumentException>(() => new StepSplitter(new StepSplitOptions(StepSplitKind.Regex, "(["))).Message, StringComparison.Ordinal);
        Assert.Contains("empty string", Assert.Throws<ArgumentException>(() => new StepSplitter(new StepSplitOptions(StepSplitKind.Regex, "\\n*"))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Repeated_steps_are_counted_after_whitespace_collapse()
    {
        var response = "x = 2 + 3\ny = 5\nx  =  2 + 3\nx = 2 + 3\nx=2+3";
        var spans = new StepSplitter(StepSplitOptions.Lines).Split(response);
        Assert.Equal(2, RepeatedSteps.Count(response, spans));
    }
}
