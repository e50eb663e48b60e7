// LabStepDrills: every drill's labels are recomputed here from its own lines — a line is positive while every
// equation so far (itself included) is right and the answer boxes the last result — and the draws are seeded.
using ReasonRL.Core;
using ReasonRL.Data.Datasets;
using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace ReasonRL.Data.Tests;

public sealed partial class LabStepDrillsTests
{
    [GeneratedRegex(@"^(\d+) ([+\-*]) (\d+) = (\d+)$")]
    private static partial Regex Equation();

    [GeneratedRegex(@"^(\d+) = (\d+)$")]
    private static partial Regex Restatement();

    [GeneratedRegex(@"^The answer is \\boxed\{(\d+)\}$")]
    private static partial Regex Answer();

    [Fact]
    public void LabelsFollowTheLinesArithmetic_AndAnEarlierErrorMakesEveryLaterLineNegative()
    {
        var drills = LabStepDrills.Build(2000, new Rng(5));
        Assert.Equal(2000, drills.Count);
        int withError = 0;
        foreach (var d in drills)
        {
            Assert.Equal("", d.Question);
            Assert.Equal(d.Steps.Count, d.Labels.Count);
            bool ok = true;
            long? last = null;
            for (int k = 0; k < d.Steps.Count - 1; k++)
            {
                var line = d.Steps[k];
                if (Equation().Match(line) is { Success: true } e)
                {
                    long a = Num(e.Groups[1]), b = Num(e.Groups[3]), c = Num(e.Groups[4]);
                    if (last is { } previous) Assert.Equal(previous, a);   // chains on the written result
                    long right = e.Groups[2].Value switch { "+" => a + b, "-" => a - b, _ => a * b };
                    ok &= c == right;
                    Assert.InRange(c, 0, LabStepDrills.ResultMax + 2);
                    last = c;
                }
                else
                {
                    var r = Restatement().Match(line);
                    Assert.True(r.Success, $"unexpected line '{line}'");
                    Assert.Equal(last, Num(r.Groups[1]));
                    Assert.Equal(last, Num(r.Groups[2]));
                }
                Assert.Equal(ok, d.Labels[k]);
            }
            var answer = Answer().Match(d.Steps[^1]);
            Assert.True(answer.Success, d.Steps[^1]);
            ok &= Num(answer.Groups[1]) == last;
            Assert.Equal(ok, d.Labels[^1]);
            Assert.Equal(ok, d.Correct);
            if (!ok) withError++;
        }
        Assert.InRange(withError, 900, 1100);   // half carry one error
    }

    [Fact]
    public void TheSameSeedGivesTheSameDrills()
    {
        var a = LabStepDrills.Build(50, new Rng(9));
        var b = LabStepDrills.Build(50, new Rng(9));
        Assert.Equal(a.Select(d => string.Join('\n', d.Steps)), b.Select(d => string.Join('\n', d.Steps)));
        Assert.NotEqual(a.Select(d => string.Join('\n', d.Steps)), LabStepDrills.Build(50, new Rng(10)).Select(d => string.Join('\n', d.Steps)));
    }

    private static long Num(Group g) => long.Parse(g.Value, CultureInfo.InvariantCulture);
}
