// LabTask: the fixed facts of the lab's synthetic arithmetic task — its alphabet, the answer line,
// the prompt format and the train/test split rule. Not the generator (LabTaskGenerator) and not the
// labeller (StepLabeller); this file only holds what both of them and the trainer must agree on.
// References: docs/architecture.md "The lab"; docs/reward-methods.md §1–2 (why unnecessary steps matter).
namespace ReasonRL.Data.Lab;

/// <summary>Which half of the lab task a problem belongs to.</summary>
public enum LabSplit
{
    /// <summary>Problems used for SFT, reward-model training and RL.</summary>
    Train,

    /// <summary>Held-out problems: never generated into the training half.</summary>
    Test,
}

/// <summary>Constants and pure helpers shared by the lab's generator, labeller and trainer.</summary>
public static class LabTask
{
    /// <summary>Every character a lab question, gold solution or SFT solution can contain, sorted
    /// ordinally (54 symbols: newline, space, punctuation, digits, the 5 capitals of the templates'
    /// names and pronouns, and the lowercase letters). A character-level tokenizer built from this
    /// string covers the task exactly; tests check every generated text against it.</summary>
    public const string Alphabet =
        "\n *+,-./0123456789=?AHMST\\abcdefghijklmnopqrstuvwxyz{}";

    /// <summary>Text before the boxed answer on the final line.</summary>
    public const string AnswerPrefix = "The answer is ";

    /// <summary>The final line of a solution: <c>The answer is \boxed{N}</c>.</summary>
    public static string AnswerLine(long answer) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{AnswerPrefix}\\boxed{{{answer}}}");

    /// <summary>The prompt the policy sees for a question: the question, then a newline.
    /// The response (solution) follows directly.</summary>
    public static string Prompt(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        return question + "\n";
    }

    /// <summary>Share of canonical forms that fall in the test half, in permille (100 = 10 %).</summary>
    public const int TestPermille = 100;

    /// <summary>The split of a canonical form: FNV-1a 64-bit hash of its UTF-16 code units, modulo
    /// 1000, below <see cref="TestPermille"/> is Test. The hash is our own (string.GetHashCode is
    /// randomised per process), so the split is the same on every machine and run.</summary>
    public static LabSplit SplitOf(string canonicalForm)
    {
        ArgumentNullException.ThrowIfNull(canonicalForm);
        return Fnv1a64(canonicalForm) % 1000 < TestPermille ? LabSplit.Test : LabSplit.Train;
    }

    /// <summary>True when every character of <paramref name="text"/> is in <see cref="Alphabet"/>.</summary>
    public static bool IsInAlphabet(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (char c in text)
        {
            if (!Alphabet.Contains(c, StringComparison.Ordinal)) return false;
        }
        return true;
    }

    internal static ulong Fnv1a64(string text)
    {
        const ulong offsetBasis = 14695981039346656037UL;
        const ulong prime = 1099511628211UL;
        ulong hash = offsetBasis;
        foreach (char c in text)
        {
            hash ^= c;
            hash *= prime;
        }
        return hash;
    }
}
