// Table-driven tests of LatexLexer + LatexParser through the canonical print (ExprPrinter).
using ReasonRL.Verifier;

namespace ReasonRL.Verifier.Tests;

public class ParserTests
{
    private static string Norm(string s) => ExprPrinter.Print(LatexParser.Parse(s, Budget.Unlimited, 100));

    [Theory]
    [InlineData("\\dfrac{1}{2}", "1/2")]
    [InlineData("\\tfrac12", "1/2")]
    [InlineData("\\frac94\\pi", "(9/4)*pi")]
    [InlineData("0.5", "1/2")]
    [InlineData(".4", "2/5")]
    [InlineData("1,000", "1000")]
    [InlineData("1{,}000", "1000")]
    [InlineData("1\\,000", "1000")]
    [InlineData("1 000", "1000")]
    [InlineData("7,425,000", "7425000")]
    [InlineData("1.5e3", "1500")]
    [InlineData("2\\frac{1}{2}", "(2 + 1/2)")]
    [InlineData("\\sqrt[3]{8}", "root(3, 8)")]
    [InlineData("\\sqrt3", "sqrt(3)")]
    [InlineData("25\\%", "25%")]
    [InlineData("90^\\circ", "90°")]
    [InlineData("90^{\\circ}", "90°")]
    [InlineData("\\left( 1, 2 \\right)", "(1, 2)")]
    [InlineData("[0, 1)", "[0, 1)")]
    [InlineData("\\{1, 2\\}", "{1, 2}")]
    [InlineData("(-\\infty, 3] \\cup (4, 5)", "(-oo, 3] U (4, 5)")]
    [InlineData("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "Matrix[1, 2; 3, 4]")]
    [InlineData("x = 3", "x = 3")]
    [InlineData("x \\geq 5", "x >= 5")]
    [InlineData("3 + 4i", "(3 + 4*i)")]
    [InlineData("\\sin^2 x", "sin(x)^2")]
    [InlineData("\\log_2(8)", "log(8, 2)")]
    [InlineData("\\frac{1}{3} \\text{meters}", "1/3")]
    [InlineData("\\$1,000.99", "100099/100")]
    [InlineData("4:30 \\text{ p.m.}", "4:30")]
    [InlineData("204_5", "54")]
    [InlineData("a_{37} + x_1", "(a_37 + x_1)")]
    [InlineData("\\text{Evelyn}", "\"evelyn\"")]
    [InlineData("|x - 2|", "abs((x -2))")]
    [InlineData("1 \\pm \\sqrt{19}", "1 ± sqrt(19)")]
    public void ParsesToCanonicalForm(string input, string expected) => Assert.Equal(expected, Norm(input));

    // Issue 18: the new written forms and their normal forms (a repeating decimal is its exact rational;
    // a decimal without a repeat mark stays the decimal it is).
    [Theory]
    [InlineData("0.\\overline{6}", "2/3")]
    [InlineData("0.6", "3/5")]
    [InlineData("12.\\overline{45}", "137/11")]
    [InlineData("0.1\\overline{6}", "1/6")]
    [InlineData("0.\\dot{1}\\dot{2}", "4/33")]
    [InlineData("3.\\bar{3}", "10/3")]
    [InlineData("66\\frac{2}{3}\\%", "(66 + 2/3)%")]
    [InlineData("\\lfloor x \\rfloor + \\lceil y \\rceil", "(floor(x) + ceil(y))")]
    [InlineData("\\emptyset", "{}")]
    [InlineData("\\varnothing", "{}")]
    [InlineData("\\mathbb{R}", "(-oo, oo)")]
    [InlineData("\\mathbb{R} \\setminus \\{2\\}", "(-oo, oo) \\ {2}")]
    public void ParsesIssue18Forms(string input, string expected) => Assert.Equal(expected, Norm(input));

    [Theory]
    [InlineData("\\frac{1}{")]
    [InlineData("(1, 2")]
    [InlineData("\\begin{align} x \\end{align}")]
    public void MalformedInputIsAParseError(string input) =>
        Assert.ThrowsAny<Exception>(() => LatexParser.Parse(input, Budget.Unlimited, 100));

    [Fact]
    public void DeepNestingHitsTheLimitNotTheStack()
    {
        var deep = new string('(', 5000) + "1" + new string(')', 5000);
        var e = Assert.Throws<ParseException>(() => LatexParser.Parse(deep, Budget.Unlimited, 100));
        Assert.True(e.IsLimit);
    }
}
