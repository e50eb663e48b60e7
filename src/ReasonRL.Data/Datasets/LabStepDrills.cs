// LabStepDrills: short arithmetic chains with no question, labelled by construction, that a PRM can train on cheaply
// beside the lab's full solutions (about 40 tokens a row against about 170 with a question). Each drill is what the
// lab's solutions are made of: 2–3 chained lines `a op b = c` (a start of 1–9; + or − a number of 1–9, or × 2; results
// 0–30), a restatement `c = c` after 30 % of them, then `The answer is \boxed{c}`. Half the drills carry one error:
// a line's result off by 1 or 2 (later lines chaining on from the wrong value with right arithmetic, as the SFT policy
// does), or, for a sixth of those, only the boxed answer off. Labels follow the labeller's convention: a line is
// positive while no line so far (itself included) is wrong; a restatement of a right result is positive (Unnecessary,
// positive under PrmLabelOptions.Default). So a drill teaches the two things the PRM check finds weak: checking a line's
// arithmetic, and carrying an earlier error to the lines and answer after it. Not the labeller (the lab's own rows are
// labelled by StepLabeller) and not a lab row kind: these rows have an empty question.
using ReasonRL.Core;
using ReasonRL.Data.Lab;
using System.Globalization;

namespace ReasonRL.Data.Datasets;

public static class LabStepDrills
{
    /// <summary>Largest result a drill line writes (the lab task's result_max).</summary>
    public const int ResultMax = 30;

    /// <summary><paramref name="count"/> drills drawn from <paramref name="rng"/>; group "drill-k", Correct = no error.</summary>
    public static IReadOnlyList<StepLabelledRecord> Build(int count, Rng rng)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(rng);
        var drills = new List<StepLabelledRecord>(count);
        for (int k = 0; k < count; k++) drills.Add(One(rng, string.Create(CultureInfo.InvariantCulture, $"drill-{k}")));
        return drills;
    }

    private static StepLabelledRecord One(Rng rng, string group)
    {
        int operations = rng.NextInt(2, 3);
        bool hasError = rng.NextInt(0, 1) == 0;
        bool answerOnly = hasError && rng.NextInt(0, 5) == 0;
        int wrongLine = hasError && !answerOnly ? rng.NextInt(0, operations - 1) : -1;
        var steps = new List<string>();
        var labels = new List<bool>();
        bool ok = true;
        long current = rng.NextInt(1, 9);
        for (int j = 0; j < operations; j++)
        {
            var (op, operand, result) = Operation(current, rng);
            if (j == wrongLine)
            {
                result = Off(result, rng);
                ok = false;
            }
            steps.Add(string.Create(CultureInfo.InvariantCulture, $"{current} {op} {operand} = {result}"));
            labels.Add(ok);
            current = result;
            if (rng.NextInt(0, 9) < 3)
            {
                steps.Add(string.Create(CultureInfo.InvariantCulture, $"{current} = {current}"));
                labels.Add(ok);
            }
        }
        long answer = current;
        if (answerOnly)
        {
            answer = Off(answer, rng);
            ok = false;
        }
        steps.Add(LabTask.AnswerLine(answer));
        labels.Add(ok);
        return new StepLabelledRecord("", steps, labels, group, ok);
    }

    /// <summary>A right operation on <paramref name="current"/> that keeps the result within 0–ResultMax.</summary>
    private static (char Op, long Operand, long Result) Operation(long current, Rng rng)
    {
        while (true)
        {
            switch (rng.NextInt(0, 9))
            {
                case < 5:
                    long add = rng.NextInt(1, 9);
                    if (current + add <= ResultMax) return ('+', add, current + add);
                    break;
                case < 8:
                    long take = rng.NextInt(1, 9);
                    if (take <= current) return ('-', take, current - take);
                    break;
                default:
                    if (current * 2 <= ResultMax) return ('*', 2, current * 2);
                    break;
            }
        }
    }

    /// <summary>A value off by 1 or 2, never negative.</summary>
    private static long Off(long value, Rng rng)
    {
        long delta = rng.NextInt(1, 2);
        return value >= delta && rng.NextInt(0, 1) == 0 ? value - delta : value + delta;
    }
}
