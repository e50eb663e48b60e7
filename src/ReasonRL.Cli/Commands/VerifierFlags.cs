// VerifierFlags: the grading conventions of VerifyOptions as `reasonrl verify` flags, one flag per switch,
// named after the reward.yaml `verifier:` key it mirrors (RewardConfigLoader): a convention that is on by
// default is turned off with --no-KEY, one that is off is turned on with --KEY. Validation happens once,
// after parsing, and names the flag and the accepted range. Not the options themselves (ReasonRL.Verifier
// VerifyOptions, where each default is documented) and not the YAML keys (RewardConfigLoader).
using ReasonRL.Verifier;
using System.CommandLine;
using System.Globalization;

namespace ReasonRL.Cli.Commands;

internal sealed class VerifierFlags
{
    private readonly Option<bool> noLastNumber = new("--no-last-number") { Description = "Do not fall back to the last number of a solution (verifier.fallback_to_last_number: false)." };
    private readonly Option<bool> noStrict = new("--no-strict") { Description = "Variables that differ only by name are renamed before comparing, f(y) ~ f(x) (verifier.strict: false; Math-Verify's strict=False)." };
    private readonly Option<bool> orderedLists = new("--ordered-lists") { Description = "A bare comma list is compared in order, 4, 10 ≠ 10, 4 (verifier.ordered_lists: true)." };
    private readonly Option<bool> noSetRelations = new("--no-set-relations") { Description = "An inequality prediction never equals a gold set, -2 ≤ x ≤ 7 ≠ [-2, 7] (verifier.set_relations: false)." };
    private readonly Option<int?> decimalRounding = new("--decimal-rounding") { Description = "A decimal also equals a value that agrees after both are rounded to N places, 0..15 (verifier.decimal_rounding: N; default off)." };
    private readonly Option<bool> noLabelledAnswers = new("--no-labelled-answers") { Description = "Only plain names are labels: m+n = 9 and \\angle PQR = 40^\\circ are no longer their bare value (verifier.labelled_answers: false)." };
    private readonly Option<bool> noNumberWords = new("--no-number-words") { Description = "Number words are text: seven ≠ 7 (verifier.number_words: false)." };
    private readonly Option<PercentReading> percent = new("--percent") { Description = "How 50\\% reads against a number without the sign: Either (~ 0.5 and ~ 50), Fraction (only 0.5), Number (only 50) (verifier.percent: either|fraction|number).", DefaultValueFactory = _ => PercentReading.Either };
    private readonly Option<bool> noMultipleChoice = new("--no-multiple-choice") { Description = "No multiple-choice reading: (C) 15 is the product C·15, not choice C (verifier.multiple_choice: false)." };

    /// <summary>Adds every flag to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (var o in new Option[] { noLastNumber, noStrict, orderedLists, noSetRelations, decimalRounding, noLabelledAnswers, noNumberWords, noMultipleChoice, percent })
            command.Options.Add(o);
    }

    /// <summary>The options the flags describe, on top of <see cref="VerifyOptions.Default"/>; null after writing one
    /// line naming the flag and the expected value to <paramref name="error"/> when a value is out of range.</summary>
    public VerifyOptions? Read(ParseResult parseResult, TextWriter error, string verb)
    {
        var rounding = parseResult.GetValue(decimalRounding);
        if (rounding is < 0 or > 15)
        {
            error.WriteLine($"{verb}: --decimal-rounding {rounding.Value.ToString(CultureInfo.InvariantCulture)}; expected an integer in [0, 15]");
            return null;
        }
        return VerifyOptions.Default with
        {
            FallbackToLastNumber = !parseResult.GetValue(noLastNumber),
            Strict = !parseResult.GetValue(noStrict),
            OrderedLists = parseResult.GetValue(orderedLists),
            AllowSetRelationComparison = !parseResult.GetValue(noSetRelations),
            DecimalRounding = rounding,
            LabelledAnswers = !parseResult.GetValue(noLabelledAnswers),
            NumberWords = !parseResult.GetValue(noNumberWords),
            MultipleChoice = !parseResult.GetValue(noMultipleChoice),
            Percent = parseResult.GetValue(percent),
        };
    }
}
