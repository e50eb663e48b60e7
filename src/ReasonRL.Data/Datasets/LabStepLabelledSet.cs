// LabStepLabelledSet: a small step-labelled PRM set made from the lab task — for each problem its SFT
// solution plus corrupted variants, every response labelled by StepLabeller (the ground truth) and turned
// into binary step labels by PrmLabelOptions (unnecessary steps positive by default). Each problem's
// responses form one best-of-N group (Group = problem id, Correct = the final answer verified Correct).
// Corruptions (one per variant, drawn with the seed):
//   WrongResult  — line j's result off by δ; later lines recomputed from the wrong value (so they use an
//                  operand that was never validly derived: StepLabeller marks them Incorrect), answer follows;
//                  a restatement (`15 = 15`) after a changed result restates the new value (every kind below too);
//   WrongOperand — line j uses an operand off by δ (consistent arithmetic), later lines follow;
//   WrongAnswer  — only the boxed final answer is off by δ;
//   RepeatLine   — a reasoning line is written twice (Unnecessary: positive under the default options);
//   Truncated    — line j stops after its "=" (the result is never written: Unparsable), later lines unchanged
//                  (they use a result that was never derived: Incorrect), as an undertrained policy often does.
// RunOnSolution (not one of the draws above; the lab chooses a share of its corrupted rows to be these):
//   RunOn        — the solution run on past its last line as a policy farming a per-line reward writes it
//                  (seen in the lab's exploratory raw-PRM runs): the answer line dropped and 2–5 lines appended,
//                  each continuing from the previous written result with a question number or a small integer,
//                  its result right or off by 1–2 (half each); the response ends there, unfinished.
// Not the labeller (StepLabeller) and not a loader; StepLabelledLoader.Write stores the result.
using ReasonRL.Core;
using ReasonRL.Data.Lab;
using ReasonRL.Data.Records;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ReasonRL.Data.Datasets;

/// <summary>Settings of <see cref="LabStepLabelledSet.Build"/>; defaults listed per property.</summary>
public sealed record LabStepSetOptions
{
    /// <summary>Lab problems (train split). Default 300.</summary>
    public int Problems { get; init; } = 300;

    /// <summary>Corrupted variants per problem, besides its SFT solution. Default 3.</summary>
    public int VariantsPerProblem { get; init; } = 3;

    /// <summary>Seed of the corruption draws (the problems come from <see cref="Task"/>'s seed). Default 1.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The lab task. Default LabTaskOptions.Default.</summary>
    public LabTaskOptions Task { get; init; } = LabTaskOptions.Default;

    /// <summary>Step label → binary label. Default PrmLabelOptions.Default.</summary>
    public PrmLabelOptions Labels { get; init; } = PrmLabelOptions.Default;
}

public static partial class LabStepLabelledSet
{
    private enum Corruption { WrongResult, WrongOperand, WrongAnswer, RepeatLine, Truncated }

    /// <summary>The labelled set: (1 + VariantsPerProblem) records per problem, problem by problem.</summary>
    public static IReadOnlyList<StepLabelledRecord> Build(LabStepSetOptions? options = null)
    {
        options ??= new LabStepSetOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Problems, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options.VariantsPerProblem);
        var problems = new LabTaskGenerator(options.Task).Generate(LabSplit.Train, options.Problems);
        var rng = new Rng(options.Seed);
        var records = new List<StepLabelledRecord>();
        foreach (var problem in problems)
        {
            var responses = new List<string> { problem.SftSolution };
            for (int v = 0; v < options.VariantsPerProblem; v++) responses.Add(CorruptedSolution(problem, rng));
            foreach (var response in responses)
            {
                var labelled = StepLabeller.Label(problem, response);
                var prm = RewardRecordBuilder.Prm(problem.Question, labelled, options.Labels);
                if (prm.Steps.Count == 0) continue;
                records.Add(new StepLabelledRecord(problem.Question, prm.Steps, prm.Labels, problem.Id, labelled.IsCorrect));
            }
        }
        return records;
    }

    /// <summary>One corrupted copy of the problem's SFT solution, its corruption drawn from <paramref name="rng"/>
    /// (see the file header); the lab adds these to its reward models' data.</summary>
    public static string CorruptedSolution(ArithmeticProblem problem, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(rng);
        return Corrupt(problem.SftSolution, (Corruption)rng.NextInt(0, 4), rng);
    }

    /// <summary>The problem's SFT solution run on past its last reasoning line (RunOn in the file header): the answer line
    /// dropped, 2–5 appended lines chaining from the last written result, the response left unfinished.</summary>
    public static string RunOnSolution(ArithmeticProblem problem, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(rng);
        var lines = ReasoningLines(problem);
        long current = WrittenResults(lines).DefaultIfEmpty(problem.Start).Last();
        var given = GivenNumbers(problem.Question);
        int extra = rng.NextInt(2, 5);
        for (int k = 0; k < extra; k++)
        {
            long operand = given.Count > 0 && rng.NextInt(0, 1) == 0 ? given[rng.NextInt(0, given.Count - 1)] : rng.NextInt(1, 9);
            char op = rng.NextInt(0, 9) switch { < 5 => '+', < 8 => '-', _ => '*' };
            if (op == '-' && operand > current) op = '+';
            long result = Evaluate(current, op, operand) ?? current + operand;
            if (rng.NextInt(0, 1) == 0) result = Off(result, rng.NextInt(1, 2));
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"{current} {op} {operand} = {result}"));
            current = result;
        }
        return string.Join('\n', lines);
    }

    /// <summary>The solution with one more operation after its last line, as raw-PRM policies write it at 150 PPO steps
    /// (docs/lab-prm.md): a number of the question added to, taken from or multiplied onto the answer it reached, with
    /// right arithmetic, then the answer line boxing that new result. The added line is what StepLabeller calls
    /// Incorrect(UnstatedOperation); the lab's PRM check scores it (the extra-operation probe).</summary>
    public static string ExtraOperationSolution(ArithmeticProblem problem, Rng rng)
    {
        ArgumentNullException.ThrowIfNull(problem);
        ArgumentNullException.ThrowIfNull(rng);
        var lines = ReasoningLines(problem);
        long current = problem.Gold; // the answer the solution reached (its last line may be an unnecessary repeat)
        var given = GivenNumbers(problem.Question).Where(n => n > 0).ToList();
        // a new quantity (not a number of the question or an earlier result, which the labeller would call a known result)
        var known = new HashSet<long>(given.Append(current).Concat(WrittenResults(lines)));
        long operand = 1, result = current + 1;
        char op = '+';
        for (int attempt = 0; attempt < 20; attempt++)
        {
            operand = given.Count > 0 ? given[rng.NextInt(0, given.Count - 1)] : 1;
            op = rng.NextInt(0, 2) switch { 0 => '+', 1 => '-', _ => '*' };
            if (op == '-' && operand > current) op = '+';
            if (Evaluate(current, op, operand) is not long value) continue;
            result = value;
            if (!known.Contains(result)) break;
        }
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{current} {op} {operand} = {result}"));
        lines.Add(LabTask.AnswerLine(result));
        return string.Join('\n', lines);
    }

    /// <summary>The SFT solution's lines without its answer line.</summary>
    private static List<string> ReasoningLines(ArithmeticProblem problem) =>
        problem.SftSolution.Split('\n').Where(l => !l.Contains("\\boxed", StringComparison.Ordinal)).ToList();

    /// <summary>The results of the lines that are equations `a op b = c`, in order.</summary>
    private static IEnumerable<long> WrittenResults(IEnumerable<string> lines) =>
        lines.Select(l => Equation().Match(l)).Where(m => m.Success).Select(m => long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture));

    /// <summary>The numbers written in the question, in order (repeats kept).</summary>
    private static List<long> GivenNumbers(string question) =>
        Number().Matches(question).Select(m => long.Parse(m.Value, CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex(@"[0-9]+")]
    private static partial Regex Number();

    [GeneratedRegex(@"^(\d+) ([-+*/]) (\d+) = (\d+)$")]
    private static partial Regex Equation();

    [GeneratedRegex(@"\\boxed\{(\d+)\}")]
    private static partial Regex Boxed();

    /// <summary>One corrupted copy of <paramref name="solution"/> (see the file header).</summary>
    private static string Corrupt(string solution, Corruption kind, Rng rng)
    {
        var lines = solution.Split('\n').ToList();
        var equations = Enumerable.Range(0, lines.Count).Where(i => Equation().IsMatch(lines[i])).ToList();
        if (equations.Count == 0) kind = Corruption.WrongAnswer;
        long delta = rng.NextInt(1, 3) * (rng.NextInt(0, 1) == 0 ? -1 : 1);
        if (kind == Corruption.RepeatLine)
        {
            int i = equations[rng.NextInt(0, equations.Count - 1)];
            lines.Insert(i + 1, lines[i]);
            return string.Join('\n', lines);
        }
        if (kind == Corruption.Truncated)
        {
            int i = equations[rng.NextInt(0, equations.Count - 1)];
            lines[i] = lines[i][..(lines[i].IndexOf('=', StringComparison.Ordinal) + 1)];
            return string.Join('\n', lines);
        }
        int target = kind == Corruption.WrongAnswer ? -1 : equations[rng.NextInt(0, equations.Count - 1)];
        var map = new Dictionary<long, long>();
        long Mapped(long x) => map.TryGetValue(x, out long y) ? y : x;
        for (int i = 0; i < lines.Count; i++)
        {
            if (StepLabeller.TryParse(lines[i], out bool restatement) is { } restated && restatement)
            {
                // A restatement (`15 = 15`) restates the value as the corrupted chain now has it, as a policy that
                // made the error writes it: StepLabeller then calls it Incorrect (a number never validly derived).
                long r = restated.Left;
                if (restated.Result == r && Mapped(r) != r) lines[i] = string.Create(CultureInfo.InvariantCulture, $"{Mapped(r)} = {Mapped(r)}");
                continue;
            }
            var m = Equation().Match(lines[i]);
            if (!m.Success)
            {
                lines[i] = Boxed().Replace(lines[i], b =>
                {
                    long n = long.Parse(b.Groups[1].Value, CultureInfo.InvariantCulture);
                    long answer = kind == Corruption.WrongAnswer ? Off(n, delta) : Mapped(n);
                    return string.Create(CultureInfo.InvariantCulture, $"\\boxed{{{answer}}}");
                });
                continue;
            }
            long a = long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), b = long.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture);
            long c = long.Parse(m.Groups[4].Value, CultureInfo.InvariantCulture);
            char op = m.Groups[2].Value[0];
            long a2 = Mapped(a), b2 = Mapped(b), c2 = c;
            if (i == target && kind == Corruption.WrongOperand) a2 = Off(a2, delta);
            if (a2 != a || b2 != b) c2 = Evaluate(a2, op, b2) ?? c;
            if (i == target && kind == Corruption.WrongResult) c2 = Off(c, delta);
            if (c2 != c) map[c] = c2;
            lines[i] = string.Create(CultureInfo.InvariantCulture, $"{a2} {op} {b2} = {c2}");
        }
        return string.Join('\n', lines);
    }

    /// <summary>x + δ, or x − δ when that would be negative; never x (δ ≠ 0).</summary>
    private static long Off(long x, long delta) => x + delta >= 0 ? x + delta : x - delta;

    private static long? Evaluate(long a, char op, long b)
    {
        var @operator = op switch
        {
            '+' => ArithmeticOperator.Add,
            '-' => ArithmeticOperator.Subtract,
            '*' => ArithmeticOperator.Multiply,
            _ => ArithmeticOperator.Divide,
        };
        return ArithmeticStep.TryEvaluate(a, @operator, b, out long value) && value >= 0 ? value : null;
    }
}
