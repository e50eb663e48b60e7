// LabTaskGenerator: the seeded generator of the lab's multi-step arithmetic word problems.
// A problem is a chain: a starting amount, then 2–4 operations (buy n more, give away n, end up with
// k times as many), each applied to the previous result; the gold solution writes one operation per
// line (`12 + 7 = 19`) and ends with `The answer is \boxed{N}`. Not the labeller (StepLabeller) and
// not a general word-problem generator: wording is a handful of templates over a fixed alphabet so a
// tiny character-level policy can learn it in minutes.
//
// Invariants every generated problem keeps (tests check them; StepLabeller relies on them so that
// every gold line labels Correct):
//   • every result is an integer in [1, ResultMax];
//   • results are pairwise distinct and differ from every number written in the question, so no gold
//     line recomputes a known quantity (which the labeller would call Unnecessary);
//   • the only numbers in the question are the start, the operands and the multipliers.
// Held-out: a problem's split is LabTask.SplitOf(canonical form); Generate(split, n) draws until it has
// n distinct canonical forms of that split, so no test arithmetic ever appears in training.
// Draws: Core's Rng.ForStream(seed, 1 for train / 2 for test), unbiased bounded integers, so the
// problems are the same on every runtime version.
using ReasonRL.Core;
using System.Globalization;
using System.Text;

namespace ReasonRL.Data.Lab;

/// <summary>Generates lab problems deterministically from <see cref="LabTaskOptions"/>.</summary>
public sealed class LabTaskGenerator
{
    private static readonly (string Name, string Pronoun)[] People =
        [("Tom", "He"), ("Sam", "He"), ("Ann", "She"), ("Mia", "She")];

    private static readonly string[] Items = ["apples", "pens", "cards", "books", "coins", "eggs", "stamps", "marbles"];
    private static readonly string[] AddVerbs = ["buys {0} more", "finds {0} more", "gets {0} more"];
    private static readonly string[] SubtractVerbs = ["gives away {0}", "loses {0}", "sells {0}"];
    private const string MultiplyVerb = "ends up with {0} times as many";

    // Draws per wanted problem before giving up: the test half is 10 % of draws and a few draws are
    // rejected for repeated results, so 2,000 is far above what a non-exhausted space needs.
    private const int AttemptsPerProblem = 2_000;

    private readonly LabTaskOptions _options;

    /// <summary>Validates the options (throws ArgumentException naming the bad field).</summary>
    public LabTaskGenerator(LabTaskOptions? options = null)
    {
        _options = options ?? LabTaskOptions.Default;
        _options.Validate();
    }

    /// <summary>The options in use.</summary>
    public LabTaskOptions Options => _options;

    /// <summary>The first <paramref name="count"/> distinct problems of <paramref name="split"/> for this
    /// seed. Deterministic; a larger count extends a smaller one (same prefix). Throws
    /// InvalidOperationException when the options allow fewer distinct problems than asked.</summary>
    public IReadOnlyList<ArithmeticProblem> Generate(LabSplit split, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var rng = Rng.ForStream(unchecked((uint)_options.Seed), split == LabSplit.Train ? 1UL : 2UL);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var problems = new List<ArithmeticProblem>(count);
        long attempts = 0, maxAttempts = (long)Math.Max(count, 1) * AttemptsPerProblem;
        while (problems.Count < count)
        {
            if (++attempts > maxAttempts)
            {
                throw new InvalidOperationException(
                    $"LabTaskGenerator: only {problems.Count} distinct {split} problems found in {maxAttempts} draws " +
                    $"(asked for {count}); raise OperandMax/ResultMax/MaxOperations or ask for fewer");
            }
            var chain = TryDrawChain(rng);
            if (chain is null) continue;
            string canonical = CanonicalForm(chain);
            if (LabTask.SplitOf(canonical) != split || !seen.Add(canonical)) continue;
            string id = string.Create(CultureInfo.InvariantCulture,
                $"{(split == LabSplit.Train ? "train" : "test")}-{_options.Seed}-{problems.Count}");
            problems.Add(Build(id, chain, canonical, split, rng));
        }
        return problems;
    }

    /// <summary>The canonical form of a chain: start and each operator+operand, e.g. "12+7-5*3".</summary>
    public static string CanonicalForm(IReadOnlyList<ArithmeticStep> operations)
    {
        ArgumentNullException.ThrowIfNull(operations);
        if (operations.Count == 0) return "";
        var sb = new StringBuilder();
        sb.Append(operations[0].Left.ToString(CultureInfo.InvariantCulture));
        foreach (var op in operations)
        {
            sb.Append(ArithmeticStep.Symbol(op.Operator)).Append(op.Right.ToString(CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private List<ArithmeticStep>? TryDrawChain(Rng rng)
    {
        int opCount = rng.NextInt(_options.MinOperations, _options.MaxOperations);
        long current = rng.NextInt(1, _options.OperandMax);
        var given = new HashSet<long> { current };
        var results = new HashSet<long>();
        var chain = new List<ArithmeticStep>(opCount);
        for (int i = 0; i < opCount; i++)
        {
            bool canMultiply = _options.MultiplierMax >= 2 && current * 2 <= _options.ResultMax;
            bool canSubtract = current >= 2;
            int kind = rng.NextInt(0, 2);
            if (kind == 2 && !canMultiply) kind = 0;
            if (kind == 1 && !canSubtract) kind = 0;
            ArithmeticStep step = kind switch
            {
                0 => ArithmeticStep.Exact(current, ArithmeticOperator.Add, rng.NextInt(1, _options.OperandMax)),
                1 => ArithmeticStep.Exact(current, ArithmeticOperator.Subtract, rng.NextInt(1, (int)Math.Min(current - 1, _options.OperandMax))),
                _ => ArithmeticStep.Exact(current, ArithmeticOperator.Multiply, rng.NextInt(2, _options.MultiplierMax)),
            };
            if (step.Result < 1 || step.Result > _options.ResultMax) return null;
            given.Add(step.Right);
            chain.Add(step);
            results.Add(step.Result);
            current = step.Result;
        }
        // Invariant: results pairwise distinct and disjoint from the question's numbers.
        if (results.Count != chain.Count || results.Overlaps(given)) return null;
        return chain;
    }

    private ArithmeticProblem Build(string id, List<ArithmeticStep> chain, string canonical, LabSplit split, Rng rng)
    {
        var (name, pronoun) = People[rng.NextInt(0, People.Length - 1)];
        string items = Items[rng.NextInt(0, Items.Length - 1)];
        var question = new StringBuilder();
        question.Append(CultureInfo.InvariantCulture, $"{name} has {chain[0].Left} {items}. {pronoun} ");
        for (int i = 0; i < chain.Count; i++)
        {
            if (i > 0) question.Append(", then ");
            var op = chain[i];
            string template = op.Operator switch
            {
                ArithmeticOperator.Add => AddVerbs[rng.NextInt(0, AddVerbs.Length - 1)],
                ArithmeticOperator.Subtract => SubtractVerbs[rng.NextInt(0, SubtractVerbs.Length - 1)],
                _ => MultiplyVerb,
            };
            question.Append(string.Format(CultureInfo.InvariantCulture, template, op.Right));
        }
        question.Append(CultureInfo.InvariantCulture, $". How many {items} does {pronoun.ToLowerInvariant()} have?");

        int gold = checked((int)chain[^1].Result);
        var goldLines = chain.Select(s => s.ToString()).Append(LabTask.AnswerLine(gold)).ToList();
        var (sftLines, unnecessary) = InsertUnnecessaryLines(chain, gold, rng);
        return new ArithmeticProblem
        {
            Id = id,
            Question = question.ToString(),
            Gold = gold,
            Start = chain[0].Left,
            Operations = chain,
            GoldSolution = string.Join('\n', goldLines),
            SftSolution = string.Join('\n', sftLines),
            UnnecessaryLineCount = unnecessary,
            CanonicalForm = canonical,
            Split = split,
        };
    }

    private (List<string> Lines, int Unnecessary) InsertUnnecessaryLines(List<ArithmeticStep> chain, int gold, Rng rng)
    {
        var kinds = new List<UnnecessaryLineKinds>(3);
        foreach (var k in new[] { UnnecessaryLineKinds.Restatement, UnnecessaryLineKinds.Repeat, UnnecessaryLineKinds.InverseCheck })
        {
            if (_options.UnnecessaryKinds.HasFlag(k)) kinds.Add(k);
        }
        var lines = new List<string>(chain.Count * 2 + 1);
        int unnecessary = 0;
        for (int i = 0; i < chain.Count; i++)
        {
            lines.Add(chain[i].ToString());
            // Draw the coin for every line even when no kind is enabled, so the wording and the
            // rest of the stream do not depend on UnnecessaryKinds.
            bool insert = rng.NextDouble() < _options.UnnecessaryLineShare;
            int pick = rng.NextInt(0, 2);
            int earlier = rng.NextInt(0, i);
            if (!insert || kinds.Count == 0) continue;
            string extra = kinds[pick % kinds.Count] switch
            {
                UnnecessaryLineKinds.Restatement => string.Create(CultureInfo.InvariantCulture, $"{chain[i].Result} = {chain[i].Result}"),
                UnnecessaryLineKinds.Repeat => chain[earlier].ToString(),
                _ => chain[i].InverseCheck().ToString(),
            };
            lines.Add(extra);
            unnecessary++;
        }
        lines.Add(LabTask.AnswerLine(gold));
        return (lines, unnecessary);
    }
}
