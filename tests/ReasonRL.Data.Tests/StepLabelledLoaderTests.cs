// Step- and outcome-labelled loaders: the three PRM formats (native with labels or ratings, PRM800K nested
// rows, Math-Shepherd tag text) on hand-written lines, the neutral-rating mapping, native write → read
// round trip, and schema errors that name the file, line and field.
using ReasonRL.Data.Datasets;
using ReasonRL.Data.Lab;
using Xunit;

namespace ReasonRL.Data.Tests;

public sealed class StepLabelledLoaderTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("rm-data-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private string File(params string[] lines)
    {
        string path = Path.Combine(dir, $"f{Guid.NewGuid():N}.jsonl");
        System.IO.File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void NativeRowsWithLabelsRatingsAndAliases()
    {
        var path = File(
            """{"question": "q1", "steps": ["a", "b"], "labels": [true, false], "group": "g", "correct": false}""",
            """{"prompt": "q2", "completions": ["c"], "labels": [1]}""",
            """{"question": "q3", "steps": ["x", "y", "z"], "ratings": [1, 0, -1]}""");
        var records = StepLabelledLoader.Load(path);
        Assert.Equal(("q1", "g", (bool?)false), (records[0].Question, records[0].Group, records[0].Correct));
        Assert.Equal(["a", "b"], records[0].Steps);
        Assert.Equal([true, false], records[0].Labels);
        Assert.Equal(("q2", "q2", (bool?)null), (records[1].Question, records[1].Group, records[1].Correct));
        Assert.Equal([true, true, false], records[2].Labels);
        var strict = StepLabelledLoader.Load(path, new StepLabelledOptions { NeutralIsPositive = false });
        Assert.Equal([true, false, false], strict[2].Labels);
    }

    [Fact]
    public void Prm800kRowsFollowTheChosenHumanAndErrorSteps()
    {
        var path = File("""
            {"question": {"problem": "What is 2+3?", "ground_truth_answer": "5"},
             "label": {"steps": [
               {"completions": [{"text": "2+3 = 5.", "rating": 1}], "human_completion": null, "chosen_completion": 0},
               {"completions": [{"text": "Hmm.", "rating": 0}, {"text": "So 6.", "rating": -1}], "human_completion": null, "chosen_completion": 0},
               {"completions": [{"text": "Bad.", "rating": -1}], "human_completion": {"text": "Answer: 5", "rating": null}, "chosen_completion": null},
               {"completions": [{"text": "Fine.", "rating": 1}, {"text": "Wrong: 7.", "rating": -1}], "human_completion": null, "chosen_completion": null},
               {"completions": [{"text": "never reached", "rating": 1}], "chosen_completion": 0}],
              "finish_reason": "found_error"}}
            """.ReplaceLineEndings(" "));
        var r = StepLabelledLoader.Load(path).Single();
        Assert.Equal("What is 2+3?", r.Question);
        Assert.Equal(["2+3 = 5.", "Hmm.", "Answer: 5", "Wrong: 7."], r.Steps);
        Assert.Equal([true, true, true, false], r.Labels);
    }

    [Fact]
    public void MathShepherdTagsBecomeStepsAndSigns()
    {
        var path = File("""{"input": "Janet has 3 eggs. How many? Step 1: 3+1=4 ки\nStep 2: 4*2=9 ки\nStep 3: The answer is: 9 ки", "label": "Janet has 3 eggs. How many? Step 1: 3+1=4 +\nStep 2: 4*2=9 -\nStep 3: The answer is: 9 -", "task": "GSM8K"}""");
        var r = StepLabelledLoader.Load(path).Single();
        Assert.Equal("Janet has 3 eggs. How many?", r.Question);
        Assert.Equal(["Step 1: 3+1=4", "Step 2: 4*2=9", "Step 3: The answer is: 9"], r.Steps);
        Assert.Equal([true, false, false], r.Labels);
    }

    [Fact]
    public void WriteThenLoadRoundTrips()
    {
        string path = Path.Combine(dir, "set.jsonl");
        var records = new[] { new StepLabelledRecord("q", ["1 + 1 = 2", "The answer is \\boxed{2}"], [true, true], "p0", true) };
        StepLabelledLoader.Write(path, records);
        var back = StepLabelledLoader.Load(path).Single();
        Assert.Equal(records[0].Steps, back.Steps);
        Assert.Equal(records[0].Labels, back.Labels);
        Assert.Equal(("q", "p0", (bool?)true), (back.Question, back.Group, back.Correct));
    }

    [Theory]
    [InlineData("""{"question": "q", "steps": ["a"], "labels": [true, false]}""", "field 'labels'", "2 labels for 1 steps")]
    [InlineData("""{"question": "q", "steps": ["a"], "labels": [2]}""", "field 'labels[0]'", "expected true/false or 1/0")]
    [InlineData("""{"question": "q", "steps": ["a"], "ratings": [5]}""", "field 'ratings[0]'", "expected -1, 0 or 1")]
    [InlineData("""{"question": "q", "steps": ["a", 3], "labels": [1, 1]}""", "field 'steps[1]'", "expected a string")]
    [InlineData("""{"question": "q", "steps": ["a"]}""", "field 'labels'", "missing")]
    [InlineData("""{"steps": ["a"], "labels": [1]}""", "field 'question'", "missing")]
    [InlineData("""{"question": {"problem": "p"}, "label": {"steps": [{"completions": [{"text": "t", "rating": 1}], "chosen_completion": 4}]}}""", "field 'label.steps[0].chosen_completion'", "expected an index")]
    [InlineData("""{"input": "Q Step 1: a ки", "label": "Q Step 1: a ?"}""", "field 'label'", "expected + or -")]
    [InlineData("""{"input": "Q Step 1: a ки", "label": "Q Step 1: b +"}""", "field 'label'", "does not match")]
    [InlineData("""{"input": "Q a ки", "label": "Q a +"}""", "field 'input'", "Step 1:")]
    public void SchemaErrorsNameFileLineAndField(string line, string field, string problem)
    {
        var path = File("""{"question": "ok", "steps": ["s"], "labels": [true]}""", line);
        var ex = Assert.Throws<DatasetFormatException>(() => StepLabelledLoader.Load(path));
        Assert.Contains(Path.GetFileName(path), ex.Message);
        Assert.Contains("line 2", ex.Message);
        Assert.Contains(field, ex.Message);
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void OutcomeRowsLoadWithGroupsAndErrorsNameTheField()
    {
        var path = File("""{"question": "q", "response": "r", "correct": true}""", """{"prompt": "p", "response": "s", "correct": false, "group": "g"}""");
        var records = OutcomeLabelledLoader.Load(path);
        Assert.Equal(new OutcomeLabelledRecord("q", "r", true, "q"), records[0]);
        Assert.Equal(new OutcomeLabelledRecord("p", "s", false, "g"), records[1]);
        var bad = File("""{"question": "q", "response": "r", "correct": "yes"}""");
        var ex = Assert.Throws<DatasetFormatException>(() => OutcomeLabelledLoader.Load(bad));
        Assert.Contains("line 1, field 'correct'", ex.Message);
    }

    [Fact]
    public void LabSetHasCorrectAndCorruptedResponsesPerProblem()
    {
        var records = LabStepLabelledSet.Build(new LabStepSetOptions { Problems = 20, VariantsPerProblem = 3, Seed = 4 });
        Assert.Equal(80, records.Count);
        Assert.Equal(20, records.Select(r => r.Group).Distinct().Count());
        Assert.All(records.Where((_, i) => i % 4 == 0), r => Assert.True(r.Correct));   // the SFT solution of each problem
        Assert.Contains(records, r => r.Correct == false);
        Assert.Contains(records, r => r.Labels.Contains(false));
        Assert.All(records, r => Assert.Equal(r.Steps.Count, r.Labels.Count));
        Assert.Equal(records.Select(r => string.Join("|", r.Steps)), LabStepLabelledSet.Build(new LabStepSetOptions { Problems = 20, VariantsPerProblem = 3, Seed = 4 }).Select(r => string.Join("|", r.Steps)));
    }

    [Fact]
    public void RunOnSolutionsContinueTheChainPastTheAnswerAndAreLabelledByTheLabeller()
    {
        var problems = new LabTaskGenerator(LabTaskOptions.Default with { Seed = 9 }).Generate(LabSplit.Train, 200);
        var rng = new Core.Rng(5);
        int incorrect = 0, positive = 0;
        foreach (var p in problems)
        {
            string text = LabStepLabelledSet.RunOnSolution(p, rng);
            var lines = text.Split('\n');
            var kept = p.SftSolution.Split('\n').Where(l => !l.Contains("\\boxed", StringComparison.Ordinal)).ToArray();
            Assert.Equal(kept, lines.Take(kept.Length));                       // the solution up to its answer line, as written
            Assert.InRange(lines.Length - kept.Length, 2, 5);                  // then 2–5 appended lines
            Assert.DoesNotContain("\\boxed", text);                           // and no answer: unfinished
            long previous = long.Parse(kept.Where(l => l.Contains(" = ", StringComparison.Ordinal) && l.Contains(' ')).Select(l => l.Split(" = ")[1]).Last(), System.Globalization.CultureInfo.InvariantCulture);
            foreach (string line in lines.Skip(kept.Length))
            {
                Assert.StartsWith(previous.ToString(System.Globalization.CultureInfo.InvariantCulture) + " ", line);   // chains from the last written result
                previous = long.Parse(line.Split(" = ")[1], System.Globalization.CultureInfo.InvariantCulture);
            }
            var labelled = StepLabeller.Label(p, text);
            Assert.True(labelled.IsTruncated);
            foreach (var step in labelled.Lines.Skip(kept.Length))
                if (step.Label == StepLabel.Incorrect) incorrect++; else positive++;
        }
        // half the appended results are off by 1–2 (Incorrect, and so is every line chained from them); the rest are
        // correct arithmetic on known numbers but apply operations the question does not state, past its last one, in a
        // solution without a right answer: Incorrect(UnstatedOperation). Only a line another rule calls unnecessary
        // (a repeat of an earlier equation, a known result) is not Incorrect.
        Assert.InRange(incorrect / (double)(incorrect + positive), 0.9, 1.0);
        Assert.Equal(LabStepLabelledSet.RunOnSolution(problems[0], new Core.Rng(3)), LabStepLabelledSet.RunOnSolution(problems[0], new Core.Rng(3)));
    }

    [Fact]
    public void ExtraOperationSolutionsAddOneUnstatedOperationBeforeAWrongAnswer()
    {
        var problems = new LabTaskGenerator(LabTaskOptions.Default with { Seed = 9 }).Generate(LabSplit.Train, 200);
        var rng = new Core.Rng(5);
        foreach (var p in problems)
        {
            string text = LabStepLabelledSet.ExtraOperationSolution(p, rng);
            var kept = p.SftSolution.Split('\n').Where(l => !l.Contains("\\boxed", StringComparison.Ordinal)).ToArray();
            var lines = text.Split('\n');
            Assert.Equal(kept, lines.Take(kept.Length));          // the solution up to its answer line, as written
            Assert.Equal(kept.Length + 2, lines.Length);          // one more operation, then an answer line
            var labelled = StepLabeller.Label(p, text);
            Assert.False(labelled.IsCorrect);                      // the answer boxes the new result
            var extra = labelled.Lines[^2];
            Assert.True(extra.Parsed is { IsArithmeticCorrect: true }, text);
            Assert.True(extra.Reason == StepReason.UnstatedOperation, p.Question + "\n" + text + "\n" + string.Join(",", labelled.Lines.Select(l => l.Reason)));
            Assert.All(labelled.Lines.Take(kept.Length), l => Assert.NotEqual(StepLabel.Incorrect, l.Label));
        }
        Assert.Equal(LabStepLabelledSet.ExtraOperationSolution(problems[0], new Core.Rng(3)), LabStepLabelledSet.ExtraOperationSolution(problems[0], new Core.Rng(3)));
    }

    [Fact]
    public void CorruptedSolutionsRestateTheValueTheCorruptedChainHas()
    {
        var options = LabTaskOptions.Default with { Seed = 9, UnnecessaryLineShare = 0.5, UnnecessaryKinds = UnnecessaryLineKinds.Restatement };
        var problems = new LabTaskGenerator(options).Generate(LabSplit.Train, 300).Where(p => p.UnnecessaryLineCount > 0).ToList();
        var rng = new Core.Rng(5);
        int changed = 0;
        foreach (var p in problems)
        {
            var lines = LabStepLabelledSet.CorruptedSolution(p, rng).Split('\n');
            var labelled = StepLabeller.Label(p, string.Join('\n', lines));
            for (int i = 1; i < lines.Length; i++)
            {
                var parts = lines[i].Split(" = ");
                if (parts.Length != 2 || parts[0].Contains(' ', StringComparison.Ordinal)) continue;   // not a restatement `a = a`
                if (lines[i - 1].EndsWith('=')) continue;   // a Truncated copy: the restated result was never written
                Assert.Equal(parts[0], parts[1]);
                // the restatement follows an equation: it restates that equation's result as written in this copy
                Assert.EndsWith(" = " + parts[0], lines[i - 1]);
                // (a wrong result that happens to equal a number of the question or an earlier right result is known to
                // the labeller: not counted)
                var known = System.Text.RegularExpressions.Regex.Matches(p.Question, "[0-9]+").Select(n => n.Value)
                    .Concat(lines.Take(i - 1).Where((_, k) => labelled.Lines[k].Label == StepLabel.Correct).Select(l => l.Split(" = ")[^1]));
                if (!known.Contains(parts[0]) && labelled.Lines[i - 1].Label == StepLabel.Incorrect && labelled.Lines[i - 1].Reason != StepReason.Unparsable)
                {
                    Assert.Equal(StepLabel.Incorrect, labelled.Lines[i].Label);   // restating a wrong value is no correct line
                    changed++;
                }
            }
        }
        Assert.True(changed > 10, $"{changed} restatements of a corrupted value");
    }
}
