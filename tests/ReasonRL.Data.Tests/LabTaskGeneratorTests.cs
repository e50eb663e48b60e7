// Tests of the lab task generator: determinism for a seed, train/test disjointness by canonical form,
// the alphabet and length limits, the invariants StepLabeller relies on, and option validation.
using ReasonRL.Data.Lab;

namespace ReasonRL.Data.Tests;

public sealed class LabTaskGeneratorTests
{
    private static readonly LabTaskOptions Options = LabTaskOptions.Default with { Seed = 7, UnnecessaryLineShare = 0.3 };

    [Fact]
    public void SameSeedGivesIdenticalProblems()
    {
        var a = new LabTaskGenerator(Options).Generate(LabSplit.Train, 300);
        var b = new LabTaskGenerator(Options).Generate(LabSplit.Train, 300);
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++)
        {
            Assert.Equal(a[i].Question, b[i].Question);
            Assert.Equal(a[i].GoldSolution, b[i].GoldSolution);
            Assert.Equal(a[i].SftSolution, b[i].SftSolution);
            Assert.Equal(a[i].Id, b[i].Id);
        }
    }

    [Fact]
    public void DifferentSeedsGiveDifferentProblems()
    {
        var a = new LabTaskGenerator(Options).Generate(LabSplit.Train, 50);
        var b = new LabTaskGenerator(Options with { Seed = 8 }).Generate(LabSplit.Train, 50);
        Assert.NotEqual(a.Select(p => p.Question), b.Select(p => p.Question));
    }

    [Fact]
    public void LargerCountExtendsSmallerCount()
    {
        var small = new LabTaskGenerator(Options).Generate(LabSplit.Test, 20);
        var large = new LabTaskGenerator(Options).Generate(LabSplit.Test, 60);
        Assert.Equal(small.Select(p => p.Question), large.Take(20).Select(p => p.Question));
    }

    [Fact]
    public void FirstProblemIsPinned()
    {
        // Pins the default stream (seed 1234): a change in the generator or its RNG changes the lab's
        // data, which must be a deliberate decision (update this text then). Re-pinned when the generator
        // moved from its own SplitMix64 stream to Core's Rng.ForStream (xoshiro256**, unbiased integers).
        var p = new LabTaskGenerator().Generate(LabSplit.Train, 1)[0];
        Assert.Equal(p.CanonicalForm, LabTaskGenerator.CanonicalForm(p.Operations));
        Assert.Equal("train-1234-0", p.Id);
        Assert.Equal("Sam has 13 stamps. He buys 9 more, then buys 10 more. How many stamps does he have?", p.Question);
        Assert.Equal("13 + 9 = 22\n22 + 10 = 32\nThe answer is \\boxed{32}", p.GoldSolution);
    }

    [Fact]
    public void TrainAndTestNeverShareACanonicalForm()
    {
        var generator = new LabTaskGenerator(Options);
        var train = generator.Generate(LabSplit.Train, 3000);
        var test = generator.Generate(LabSplit.Test, 300);
        var trainForms = train.Select(p => p.CanonicalForm).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(train.Count, trainForms.Count); // distinct within the split
        Assert.Equal(test.Count, test.Select(p => p.CanonicalForm).Distinct(StringComparer.Ordinal).Count());
        Assert.All(test, p => Assert.DoesNotContain(p.CanonicalForm, trainForms));
        Assert.All(train, p => Assert.Equal(LabSplit.Train, LabTask.SplitOf(p.CanonicalForm)));
        Assert.All(test, p => Assert.Equal(LabSplit.Test, LabTask.SplitOf(p.CanonicalForm)));
        // Another seed's training half is disjoint from this seed's test half too: the split is by
        // arithmetic, not by seed.
        var otherTrain = new LabTaskGenerator(Options with { Seed = 99 }).Generate(LabSplit.Train, 3000);
        var testForms = test.Select(p => p.CanonicalForm).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(otherTrain, p => testForms.Contains(p.CanonicalForm));
    }

    [Fact]
    public void TextsUseOnlyTheAlphabetAndStayShort()
    {
        var problems = new LabTaskGenerator(Options with { UnnecessaryLineShare = 1.0 }).Generate(LabSplit.Train, 2000);
        foreach (var p in problems)
        {
            Assert.True(LabTask.IsInAlphabet(p.Question), p.Question);
            Assert.True(LabTask.IsInAlphabet(p.GoldSolution), p.GoldSolution);
            Assert.True(LabTask.IsInAlphabet(p.SftSolution), p.SftSolution);
            Assert.True(p.GoldSolution.Length < 100, p.GoldSolution);
            // Worst case: 4 operations, each followed by an unnecessary line.
            Assert.True(p.SftSolution.Length < 160, p.SftSolution);
            Assert.True(p.Question.Length < 200, p.Question);
        }
        // Every alphabet symbol is used somewhere (the alphabet is not padded with dead symbols),
        // except letters no template happens to contain.
        var used = problems.SelectMany(p => p.Question + p.SftSolution).ToHashSet();
        foreach (char c in "\n *+-=/.,?\\{}0123456789AHMST")
        {
            Assert.Contains(c, used);
        }
    }

    [Fact]
    public void ProblemsKeepTheirInvariants()
    {
        var problems = new LabTaskGenerator(Options).Generate(LabSplit.Train, 2000);
        foreach (var p in problems)
        {
            Assert.InRange(p.OperationCount, Options.MinOperations, Options.MaxOperations);
            Assert.Equal(p.Start, p.Operations[0].Left);
            for (int i = 0; i < p.Operations.Count; i++)
            {
                var op = p.Operations[i];
                Assert.True(op.IsArithmeticCorrect, op.ToString());
                Assert.InRange(op.Result, 1, Options.ResultMax);
                if (i > 0) Assert.Equal(p.Operations[i - 1].Result, op.Left);
            }
            Assert.Equal(p.Gold, p.Operations[^1].Result);
            var lines = p.GoldSolution.Split('\n');
            Assert.Equal(p.Operations.Select(o => o.ToString()).Append(LabTask.AnswerLine(p.Gold)), lines);
            Assert.Equal(p.SftSolution.Split('\n').Length, lines.Length + p.UnnecessaryLineCount);
            var results = p.Operations.Select(o => o.Result).ToList();
            Assert.Equal(results.Count, results.Distinct().Count());
        }
        // All operation counts in range occur, and every operator is used.
        Assert.Equal(Enumerable.Range(2, 3), problems.Select(p => p.OperationCount).Distinct().Order());
        var ops = problems.SelectMany(p => p.Operations).Select(o => o.Operator).Distinct().Order().ToList();
        Assert.Equal([ArithmeticOperator.Add, ArithmeticOperator.Subtract, ArithmeticOperator.Multiply], ops);
    }

    [Fact]
    public void UnnecessaryShareIsRoughlyAsConfigured()
    {
        var problems = new LabTaskGenerator(Options with { UnnecessaryLineShare = 0.2 }).Generate(LabSplit.Train, 2000);
        double share = (double)problems.Sum(p => p.UnnecessaryLineCount) / problems.Sum(p => p.OperationCount);
        // ~6,000 Bernoulli(0.2) draws: standard deviation ≈ 0.005, so ±0.03 is six sigma.
        Assert.InRange(share, 0.17, 0.23);
        var none = new LabTaskGenerator(Options with { UnnecessaryLineShare = 0.2, UnnecessaryKinds = UnnecessaryLineKinds.None })
            .Generate(LabSplit.Train, 200);
        Assert.All(none, p => Assert.Equal(p.GoldSolution, p.SftSolution));
        // The kinds do not change the problems themselves (the coin is drawn regardless).
        Assert.Equal(problems.Take(200).Select(p => p.Question), none.Select(p => p.Question));
    }

    [Fact]
    public void ExhaustedSpaceThrowsWithAnActionableMessage()
    {
        var tiny = LabTaskOptions.Default with { MinOperations = 1, MaxOperations = 1, OperandMax = 2, ResultMax = 4, MultiplierMax = 0 };
        var e = Assert.Throws<InvalidOperationException>(() => new LabTaskGenerator(tiny).Generate(LabSplit.Train, 100));
        Assert.Contains("distinct Train problems", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MinOperations")]
    [InlineData("MaxOperations")]
    [InlineData("OperandMax")]
    [InlineData("UnnecessaryLineShare")]
    public void InvalidOptionsNameTheField(string field)
    {
        var bad = field switch
        {
            "MinOperations" => LabTaskOptions.Default with { MinOperations = 0 },
            "MaxOperations" => LabTaskOptions.Default with { MaxOperations = 1 },
            "OperandMax" => LabTaskOptions.Default with { OperandMax = 1 },
            _ => LabTaskOptions.Default with { UnnecessaryLineShare = double.NaN },
        };
        var e = Assert.Throws<ArgumentException>(() => new LabTaskGenerator(bad));
        Assert.Contains("LabTaskOptions." + field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AlphabetIsSortedAndDistinct()
    {
        Assert.Equal(LabTask.Alphabet.Order().ToArray(), LabTask.Alphabet.ToCharArray());
        Assert.Equal(LabTask.Alphabet.Length, LabTask.Alphabet.Distinct().Count());
        Assert.InRange(LabTask.Alphabet.Length, 40, 60);
    }
}
