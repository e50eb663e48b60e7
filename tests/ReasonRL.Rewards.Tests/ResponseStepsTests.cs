// ResponseSteps: the shared step model (spans, texts, end tokens) built in one call.
using ReasonRL.Rewards.Steps;

namespace ReasonRL.Rewards.Tests;

public sealed class ResponseStepsTests
{
    [Fact]
    public void One_step_model_gives_spans_texts_and_end_tokens()
    {
        var text = "a=1\nb=2\n\n";
        TokenOffset[] tokens = [new(0, 1), new(1, 2), new(2, 5), new(5, 6), new(6, 7), new(7, 9)];
        var steps = ResponseSteps.Of(new StepSplitter(StepSplitOptions.Lines), text, tokens);
        Assert.Equal(2, steps.Count);
        Assert.Equal(["a=1", "b=2"], steps.Texts());
        Assert.Equal([2, 4], steps.EndTokens!);
        Assert.Null(ResponseSteps.Of(new StepSplitter(StepSplitOptions.Lines), text).EndTokens);
    }
}
