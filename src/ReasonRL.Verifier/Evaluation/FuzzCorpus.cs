// FuzzCorpus: random and adversarial verifier inputs — random unicode, deep nesting, power
// towers, long inputs, LaTeX fragment soup with huge literals and unbalanced braces. Shared by
// the fuzz tests (small counts) and `reasonrl bench verify --fuzz N` (large counts, worst-case
// latency). Deterministic for a given Random. Not a grammar-based generator.
using System.Globalization;
using System.Text;

namespace ReasonRL.Verifier.Evaluation;

public static class FuzzCorpus
{
    private static readonly IReadOnlyList<string> Fragments =
    [
        "\\frac{", "}", "{", "\\sqrt[", "]", "^{", "^", "_", "\\left(", "\\right)", "(", ")", "[", "\\{", "\\}",
        "\\boxed{", "\\fbox{", "\\text{", "\\begin{pmatrix}", "\\end{pmatrix}", "&", "\\\\", "9", "1,000", ".5",
        "x", "e", "i", "\\pi", "\\infty", "\\pm", "=", "<", "\\le", "\\cup", ",", ";", "%", "\\%", "^\\circ", "!",
        "\\sin", "\\log_", "|", "+", "-", "*", "/", ":", "$", "\\(", "\\)", "The answer is ", "#### ", "\nA: ",
        "\\zzz", "\\", " ", "9^{9^{9}}", "10^{100000}", "1e99999", "(", "π", "√", "²", "∞", "😀", "\u0000", "\u200b",
        "99999999999999999999999999999", "\\sum_{k=0}^{n}", "4:30", "\\begin{array}{cc}", "100000!",
    ];

    /// <summary>A (prediction, gold) pair: gold is a small integer two times in three.</summary>
    public static (string Prediction, string Gold) Pair(Random rng)
    {
        string pred = Input(rng);
        string gold = rng.Next(3) == 0 ? Input(rng) : rng.Next(100).ToString(CultureInfo.InvariantCulture);
        return (pred, gold);
    }

    /// <summary>One adversarial input.</summary>
    public static string Input(Random rng)
    {
        var sb = new StringBuilder();
        switch (rng.Next(6))
        {
            case 0: // random unicode (BMP, surrogates excluded)
                for (int k = rng.Next(0, 200); k > 0; k--) sb.Append((char)rng.Next(0, 0xD7FF));
                break;
            case 1: // deep nesting
                {
                    int depth = rng.Next(50, 5000);
                    string open = rng.Next(3) switch { 0 => "(", 1 => "{", _ => "\\frac{1}{" };
                    sb.Append("\\boxed{");
                    for (int k = 0; k < depth; k++) sb.Append(open);
                    sb.Append('1');
                    for (int k = 0; k < depth; k++) sb.Append(open == "(" ? ")" : "}");
                    sb.Append('}');
                    break;
                }
            case 2: // power towers
                sb.Append("\\boxed{");
                for (int k = rng.Next(1, 30); k > 0; k--) sb.Append(rng.Next(2, 99)).Append("^{");
                sb.Append(rng.Next(2, 99)).Append(new string('}', 40)).Append('}');
                break;
            case 3: // long input (up to ~240 KB)
                sb.Append(string.Concat(Enumerable.Repeat("1+x*", rng.Next(1000, 60_000))));
                break;
            default: // LaTeX fragment soup
                for (int k = rng.Next(1, 60); k > 0; k--) sb.Append(Fragments[rng.Next(Fragments.Count)]);
                break;
        }
        return sb.ToString();
    }
}
