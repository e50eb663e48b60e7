// LatexLexer: turns an extracted answer (LaTeX or plain math, e.g. "\dfrac{1}{2}", "1,000",
// "25\%", "x \geq 5", "4:30 p.m.") into tokens. It resolves spellings (LatexCommands), merges
// thousands separators ("1,000", "1{,}000", "1\,000", "1 000") into one number, recognises clock
// times, unit words, percent and degree marks, and \text{} contents (letters become words).
// Not a parser: no precedence, no structure. Linear in the input; ticks the call's Budget.
using System.Text;

namespace ReasonRL.Verifier;

internal sealed class LexException(string message) : Exception(message);

internal static class LatexLexer
{
    public static List<Token> Lex(string s, Budget budget)
    {
        var tokens = new List<Token>(s.Length / 2 + 4);
        int depth = 0;
        LexRange(s, 0, s.Length, textMode: false, tokens, budget, ref depth);
        return tokens;
    }

    private static void LexRange(string s, int start, int end, bool textMode, List<Token> tokens, Budget budget, ref int depth)
    {
        int i = start;
        bool space = false;
        while (i < end)
        {
            budget.Tick();
            char c = s[i];
            if (char.IsWhiteSpace(c) || c == '~' || c == '$') { space = true; i++; continue; }
            if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < end && char.IsAsciiDigit(s[i + 1])))
            {
                i = LexNumber(s, i, end, tokens, space, depth > 0);
                space = false;
                continue;
            }
            if (char.IsAsciiLetter(c))
            {
                int j = i;
                while (j < end && char.IsAsciiLetter(s[j])) j++;
                AddLetters(s.Substring(i, j - i), textMode, tokens, space, s, j, end);
                i = j;
                space = false;
                continue;
            }
            if (c == '\\')
            {
                i = LexCommand(s, i, end, textMode, tokens, ref space, budget, ref depth);
                continue;
            }
            Token? t = c switch
            {
                '+' => new Token(TokenKind.Plus),
                '-' or '−' or '–' => new Token(TokenKind.Minus),
                '*' or '×' or '·' or '⋅' => new Token(TokenKind.Star),
                '/' or '÷' => new Token(TokenKind.Slash),
                '^' => null,
                '_' => new Token(TokenKind.Underscore),
                '\'' => new Token(TokenKind.Prime),
                '(' => new Token(TokenKind.LParen),
                ')' => new Token(TokenKind.RParen),
                '[' => new Token(TokenKind.LBracket),
                ']' => new Token(TokenKind.RBracket),
                '{' => new Token(TokenKind.LBrace),
                '}' => new Token(TokenKind.RBrace),
                ',' => new Token(TokenKind.Comma),
                ';' => new Token(TokenKind.Semicolon),
                '|' => new Token(TokenKind.Pipe),
                '!' => i + 1 < end && s[i + 1] == '=' ? new Token(TokenKind.Relation, Op: RelationOp.NotEqual) : new Token(TokenKind.Bang),
                '%' => new Token(TokenKind.Percent),
                '°' => new Token(TokenKind.Degree),
                '=' => new Token(TokenKind.Relation, Op: RelationOp.Equal),
                '<' => i + 1 < end && s[i + 1] == '=' ? new Token(TokenKind.Relation, Op: RelationOp.LessEqual) : new Token(TokenKind.Relation, Op: RelationOp.Less),
                '>' => i + 1 < end && s[i + 1] == '=' ? new Token(TokenKind.Relation, Op: RelationOp.GreaterEqual) : new Token(TokenKind.Relation, Op: RelationOp.Greater),
                '≤' => new Token(TokenKind.Relation, Op: RelationOp.LessEqual),
                '≥' => new Token(TokenKind.Relation, Op: RelationOp.GreaterEqual),
                '≠' => new Token(TokenKind.Relation, Op: RelationOp.NotEqual),
                '≈' => new Token(TokenKind.Relation, Op: RelationOp.Approx),
                '∈' => new Token(TokenKind.Relation, Op: RelationOp.In),
                ':' => new Token(TokenKind.Colon),
                '&' => new Token(TokenKind.Ampersand),
                '±' => new Token(TokenKind.PlusMinus),
                '∪' => new Token(TokenKind.Cup),
                '∅' => new Token(TokenKind.Identifier, "\\emptyset"),
                '⌊' => new Token(TokenKind.FloorOpen),
                '⌋' => new Token(TokenKind.FloorClose),
                '⌈' => new Token(TokenKind.CeilOpen),
                '⌉' => new Token(TokenKind.CeilClose),
                'π' => new Token(TokenKind.Constant, Constant: ConstantKind.Pi),
                '∞' => new Token(TokenKind.Constant, Constant: ConstantKind.Infinity),
                '√' => new Token(TokenKind.Sqrt),
                '²' or '³' => null,
                '€' or '£' or '¥' or '.' or '?' or '"' or '`' => new Token(TokenKind.Separator, "skip"),
                _ => throw new LexException($"unexpected character '{c}' (U+{(int)c:X4}) at {i}"),
            };
            if (c == '^')
            {
                // ^\circ and ^{\circ} are the degree mark.
                int k = SkipSpaces(s, i + 1, end);
                if (Matches(s, k, end, "\\circ")) { Add(tokens, new Token(TokenKind.Degree), space); i = k + 5; space = false; continue; }
                if (Matches(s, k, end, "{\\circ}")) { Add(tokens, new Token(TokenKind.Degree), space); i = k + 7; space = false; continue; }
                Add(tokens, new Token(TokenKind.Caret), space);
            }
            else if (c is '²' or '³')
            {
                Add(tokens, new Token(TokenKind.Caret), space);
                Add(tokens, new Token(TokenKind.Number, c == '²' ? "2" : "3"), false);
            }
            else if (c == '<' || c == '>' || c == '!') { Add(tokens, t!.Value, space); if (t.Value.Kind == TokenKind.Relation && t.Value.Op is RelationOp.LessEqual or RelationOp.GreaterEqual or RelationOp.NotEqual) i++; }
            else if (t!.Value.Kind == TokenKind.Separator && t.Value.Text == "skip") { /* currency, sentence punctuation */ }
            else
            {
                Add(tokens, t.Value, space);
                if (t.Value.Kind is TokenKind.LParen or TokenKind.LBracket) depth++;
                else if (t.Value.Kind is TokenKind.RParen or TokenKind.RBracket) depth = Math.Max(0, depth - 1);
            }
            i++;
            space = false;
        }
    }

    private static void Add(List<Token> tokens, Token t, bool space) => tokens.Add(t with { SpaceBefore = space });

    private static int SkipSpaces(string s, int i, int end)
    {
        while (i < end && s[i] == ' ') i++;
        return i;
    }

    private static bool Matches(string s, int i, int end, string what) =>
        i + what.Length <= end && string.CompareOrdinal(s, i, what, 0, what.Length) == 0;

    private static int LexNumber(string s, int i, int end, List<Token> tokens, bool space, bool inBrackets)
    {
        var sb = new StringBuilder();
        int j = i;
        while (j < end && char.IsAsciiDigit(s[j])) sb.Append(s[j++]);
        if (sb.Length == 0) sb.Append('0'); // a leading-dot number such as .5
        // Clock time h:mm (not followed by another digit).
        if (sb.Length is 1 or 2 && j + 3 <= end && s[j] == ':' && char.IsAsciiDigit(s[j + 1]) && char.IsAsciiDigit(s[j + 2])
            && (j + 3 == end || !char.IsAsciiDigit(s[j + 3])))
        {
            Add(tokens, new Token(TokenKind.Time, s.Substring(i, j + 3 - i)), space);
            return j + 3;
        }
        // Thousands groups: only after a first group of 1-3 digits, each group exactly 3 digits; never in an
        // unbraced subscript ("\log_2 100" is log base 2 of 100, not of 2100).
        if (sb.Length <= 3 && sb[0] != '0' && (i == 0 || s[i - 1] != '_'))
        {
            while (true)
            {
                int g = ThousandsGroup(s, j, end, inBrackets);
                if (g < 0) break;
                sb.Append(s, g, 3);
                j = g + 3;
            }
        }
        // Decimal comma: "1000,99" / "0,111" (a first group that cannot be a thousands group).
        if (!inBrackets && (sb.Length > 3 || sb.ToString() == "0") && j + 1 < end && s[j] == ',' && char.IsAsciiDigit(s[j + 1]))
        {
            int k = j + 1;
            while (k < end && char.IsAsciiDigit(s[k])) k++;
            if (k == end || !(s[k] == ',' || s[k] == '.'))
            {
                sb.Append('.').Append(s, j + 1, k - j - 1);
                j = k;
            }
        }
        if (j < end && s[j] == '.' && (j + 1 >= end || char.IsAsciiDigit(s[j + 1]) || sb.Length > 0))
        {
            if (j + 1 < end && char.IsAsciiDigit(s[j + 1]))
            {
                sb.Append('.');
                j++;
                while (j < end && char.IsAsciiDigit(s[j])) sb.Append(s[j++]);
            }
            else if (RepeatingPart(s, j + 1, end, out _, out _) > 0) { sb.Append('.'); j++; }
        }
        // Repeating decimal: 0.\overline{6}, 12.\overline{45}, 0.1\dot{6}, 0.\dot{1}\dot{2} → "0.1(6)" (exact, see BigRational.ParseRepeating).
        bool hasDot = j > i && s.AsSpan(i, j - i).Contains('.') && j < end && s[j] is '\\' or '.' or ' ' or '…';
        if (hasDot && RepeatingPart(s, j, end, out var period, out int after) > 0)
        {
            sb.Append('(').Append(period).Append(')');
            Add(tokens, new Token(TokenKind.Number, sb.ToString()), space);
            return after;
        }
        // 0.333…, 0.1666\ldots, 0.4545...: an ellipsis after a visibly repeating block (one digit three
        // times, a longer block twice) continues it; 3.14… and 0.66… stay the decimals they are.
        if (hasDot && Ellipsis(s, j, end) is int afterDots && ShownPeriod(sb.ToString()) is { } shown)
        {
            sb.Append('(').Append(shown).Append(')');
            Add(tokens, new Token(TokenKind.Number, sb.ToString()), space);
            return afterDots;
        }
        // Scientific notation 1e5, 2.5E-3 (a digit must follow the exponent mark).
        if (j + 1 < end && (s[j] == 'e' || s[j] == 'E'))
        {
            int k = j + 1;
            if (k < end && (s[k] == '+' || s[k] == '-')) k++;
            if (k < end && char.IsAsciiDigit(s[k]) && (k - j <= 2))
            {
                int m = k;
                while (m < end && char.IsAsciiDigit(s[m])) m++;
                if (m - k <= 6)
                {
                    sb.Append('e').Append(s, j + 1, m - j - 1);
                    j = m;
                }
            }
        }
        if (sb.Length > 0 && sb[0] == '.') sb.Insert(0, '0');
        Add(tokens, new Token(TokenKind.Number, sb.ToString()), space);
        return j;
    }

    /// <summary>The repeating digits written at j as \overline{ddd}, \overline d, \bar{ddd} or a run of
    /// \dot{d} / \dot d (at most 64 digits): their count, the digits and the position after them; 0 when none.</summary>
    private static int RepeatingPart(string s, int j, int end, out string digits, out int after)
    {
        digits = "";
        after = j;
        int k = SkipSpaces(s, j, end);
        foreach (var mark in (ReadOnlySpan<string>)["\\overline", "\\bar"])
        {
            if (!Matches(s, k, end, mark) || (k + mark.Length < end && char.IsAsciiLetter(s[k + mark.Length]))) continue;
            int m = SkipSpaces(s, k + mark.Length, end);
            if (m < end && s[m] == '{')
            {
                int close = MatchBrace(s, m, end);
                if (close < 0) return 0;
                var inner = s.AsSpan(m + 1, close - m - 1).Trim();
                if (inner.Length == 0 || inner.Length > 64 || inner.ContainsAnyExcept("0123456789")) return 0;
                digits = inner.ToString();
                after = close + 1;
                return digits.Length;
            }
            if (m < end && char.IsAsciiDigit(s[m])) { digits = s[m].ToString(); after = m + 1; return 1; }
            return 0;
        }
        var dots = new StringBuilder();
        while (dots.Length < 64 && DottedDigit(s, k, end, out char digit, out int next))
        {
            dots.Append(digit);
            after = next;
            k = SkipSpaces(s, after, end);
            // 0.\dot{1}4285\dot{7}: dots on the first and the last digit of a longer block mark the whole block.
            if (dots.Length == 1)
            {
                int run = k;
                while (run < end && run - k < 62 && char.IsAsciiDigit(s[run])) run++;
                if (run > k && DottedDigit(s, run, end, out char last, out int lastEnd))
                {
                    dots.Append(s, k, run - k).Append(last);
                    after = lastEnd;
                    break;
                }
            }
        }
        digits = dots.ToString();
        return digits.Length;
    }

    /// <summary>"\dot{d}" or "\dot d" at <paramref name="k"/>: its digit and the position after it.</summary>
    private static bool DottedDigit(string s, int k, int end, out char digit, out int after)
    {
        digit = '0';
        after = k;
        if (!Matches(s, k, end, "\\dot") || (k + 4 < end && char.IsAsciiLetter(s[k + 4]))) return false;
        int m = SkipSpaces(s, k + 4, end);
        if (m + 2 < end && s[m] == '{' && char.IsAsciiDigit(s[m + 1]) && s[m + 2] == '}') { digit = s[m + 1]; after = m + 3; return true; }
        if (m < end && char.IsAsciiDigit(s[m])) { digit = s[m]; after = m + 1; return true; }
        return false;
    }

    /// <summary>Position after "...", "…", "\ldots", "\cdots" or "\dots" at j (spaces allowed before), or null.</summary>
    private static int? Ellipsis(string s, int j, int end)
    {
        int k = SkipSpaces(s, j, end);
        foreach (var mark in (ReadOnlySpan<string>)["...", "…", "\\ldots", "\\cdots", "\\dots"])
        {
            if (!Matches(s, k, end, mark)) continue;
            int after = k + mark.Length;
            if (mark[0] == '\\' && after < end && char.IsAsciiLetter(s[after])) return null;
            return after;
        }
        return null;
    }

    /// <summary>The block that visibly repeats at the end of a decimal's fraction digits (length 1 shown
    /// at least three times, lengths 2–6 at least twice), or null.</summary>
    private static string? ShownPeriod(string number)
    {
        int dot = number.IndexOf('.');
        if (dot < 0 || number.Contains('e')) return null;
        var digits = number.AsSpan(dot + 1);
        for (int len = 1; len <= 6; len++)
        {
            int times = len == 1 ? 3 : 2;
            if (digits.Length < len * times) break;
            var block = digits[^len..];
            bool repeats = true;
            for (int t = 2; t <= times && repeats; t++)
                repeats = digits[^(len * t)..^(len * (t - 1))].SequenceEqual(block);
            if (repeats) return block.ToString();
        }
        return null;
    }

    /// <summary>Start of the next 3-digit thousands group after position j, or -1.</summary>
    private static int ThousandsGroup(string s, int j, int end, bool inBrackets)
    {
        int k;
        int js = SkipSpaces(s, j, end);
        if (Matches(s, js, end, "{,}")) k = js + 3;
        else if (Matches(s, js, end, "{, }")) k = js + 4;
        else if (Matches(s, j, end, ",\\!")) k = SkipSpaces(s, j + 3, end);
        else if (Matches(s, j, end, "\\,")) k = j + 2;
        else if (Matches(s, j, end, "\\ ")) k = j + 2;
        else if (Matches(s, j, end, "\\!")) k = j + 2;
        else if (j < end && ((s[j] == ',' && !inBrackets) || s[j] == ' ' || s[j] == '\u2009' || s[j] == '\u202F')) k = j + 1;
        else return -1;
        if (k + 3 > end) return -1;
        for (int d = 0; d < 3; d++) if (!char.IsAsciiDigit(s[k + d])) return -1;
        if (k + 3 < end && (char.IsAsciiDigit(s[k + 3]))) return -1;
        // "1, 000" (comma then space) is a list, not a number; "1 000" is a number only in plain form.
        return k;
    }

    private static void AddLetters(string run, bool textMode, List<Token> tokens, bool space, string s, int next, int end)
    {
        if (textMode)
        {
            // Inside \text{}: single letters stay identifiers (\text{E} ~ E), longer runs are words.
            if (run.Length == 1) { Add(tokens, new Token(TokenKind.Identifier, run), space); return; }
            AddWord(run, tokens, space);
            return;
        }
        // "2.5 x 10^3": a lone x between a number and 10^… is the times sign of scientific notation (only there;
        // "2x" and "2 x^3" keep the variable).
        if (run == "x" && tokens.Count > 0 && tokens[^1].Kind == TokenKind.Number && PowerOfTenFollows(s, next, end))
        {
            Add(tokens, new Token(TokenKind.Star), space);
            return;
        }
        if (LatexCommands.IsFunction(run) && run.Length >= 2) { Add(tokens, new Token(TokenKind.Function, run), space); return; }
        var kind = LatexCommands.ClassifyWord(run.ToLowerInvariant());
        // Three letters juxtaposed with math — a digit, '}' or ')' just before, or '{', '(', '^', '_' or a digit just
        // after ("2xyz", "\frac{1}{2}abc", "abc^2", "ext{13}") — are a product of variables, not a word: read as a
        // unit beside its number, "2xyz" would equal 2. Three-letter units ("5min", "60mph") stay words.
        bool product = run.Length == 3 && kind == TokenKind.Word && !LatexCommands.IsThreeLetterUnit(run) && GluedToMath(s, next - run.Length, next, end);
        if (!product && (kind != TokenKind.Word || run.Length >= 3 || LatexCommands.IsShortUnit(run)))
        {
            AddWord(run, tokens, space);
            return;
        }
        for (int k = 0; k < run.Length; k++) Add(tokens, new Token(TokenKind.Identifier, run[k].ToString()), k == 0 && space);
    }

    /// <summary>Whether "10^" starts at <paramref name="i"/> after optional spaces.</summary>
    private static bool PowerOfTenFollows(string s, int i, int end)
    {
        i = SkipSpaces(s, i, end);
        return Matches(s, i, end, "10^");
    }

    /// <summary>Whether the letters s[start..next) touch math on either side (no space between).</summary>
    private static bool GluedToMath(string s, int start, int next, int end)
    {
        char before = start > 0 ? s[start - 1] : ' ', after = next < end ? s[next] : ' ';
        return char.IsAsciiDigit(before) || before is '}' or ')' || char.IsAsciiDigit(after) || after is '{' or '(' or '^' or '_';
    }

    private static void AddWord(string run, List<Token> tokens, bool space)
    {
        string lower = run.ToLowerInvariant();
        var kind = LatexCommands.ClassifyWord(lower);
        Token t = kind switch
        {
            TokenKind.Constant => new Token(TokenKind.Constant, Constant: lower == "pi" ? ConstantKind.Pi : ConstantKind.Infinity),
            TokenKind.Word => new Token(TokenKind.Word, run),
            _ => new Token(kind, lower),
        };
        Add(tokens, t, space);
    }

    private static int LexCommand(string s, int i, int end, bool textMode, List<Token> tokens, ref bool space, Budget budget, ref int depth)
    {
        if (i + 1 >= end) return end;
        char n = s[i + 1];
        // A doubled backslash glued to a known command in double-escaped text ("\\frac"):
        // a row break is never glued to a command name, so read it as one backslash.
        if (n == '\\' && i + 2 < end && char.IsAsciiLetter(s[i + 2]))
        {
            int e2 = i + 2;
            while (e2 < end && char.IsAsciiLetter(s[e2])) e2++;
            string glued = s.Substring(i + 2, e2 - i - 2);
            if (glued is not ("begin" or "end") && LatexCommands.Classify(glued, out _) != CommandClass.Unknown)
                return i + 1;
        }
        if (!char.IsAsciiLetter(n))
        {
            switch (n)
            {
                case '{': Add(tokens, new Token(TokenKind.SetOpen), space); break;
                case '}': Add(tokens, new Token(TokenKind.SetClose), space); break;
                case '%': Add(tokens, new Token(TokenKind.Percent), space); break;
                case '\\': Add(tokens, new Token(TokenKind.RowSeparator), space); break;
                case '|': Add(tokens, new Token(TokenKind.Pipe), space); break;
                case '(' or ')' or '[' or ']' or ',' or ';' or ':' or '!' or ' ' or '$' or '>' or '.': space = true; break;
                default: space = true; break;
            }
            if (n is '{' or '}' or '%' or '\\' or '|') space = false;
            return i + 2;
        }
        int j = i + 1;
        while (j < end && char.IsAsciiLetter(s[j])) j++;
        string name = s.Substring(i + 1, j - i - 1);
        var cls = LatexCommands.Classify(name, out var token);
        if (cls == CommandClass.Unknown)
        {
            // "\quadx_2", "\cdotx": a known command glued to the following letters.
            for (int len = name.Length - 1; len >= 2; len--)
            {
                var prefixCls = LatexCommands.Classify(name[..len], out var prefixToken);
                if (prefixCls is CommandClass.Unknown or CommandClass.Text or CommandClass.Transparent or CommandClass.Environment) continue;
                name = name[..len];
                cls = prefixCls;
                token = prefixToken;
                j = i + 1 + len;
                break;
            }
        }
        switch (cls)
        {
            case CommandClass.Ignore:
                space = true;
                if (name is "left" or "right" && j < end && s[j] == '.') j++;
                return j;
            case CommandClass.Space:
                space = true;
                return j;
            case CommandClass.Token:
                if (token.Kind is TokenKind.Frac or TokenKind.Sqrt) return AddFracOrSqrt(s, j, end, token, tokens, space, ref space);
                Add(tokens, token, space);
                space = false;
                return j;
            case CommandClass.Function:
            case CommandClass.Greek:
                Add(tokens, token, space);
                space = false;
                return j;
            case CommandClass.Text:
            case CommandClass.Transparent:
                {
                    int k = SkipSpaces(s, j, end);
                    // \mathbb{R}: the real line (an interval); other blackboard letters stay opaque names.
                    if (name == "mathbb" && k + 2 < end && s[k] == '{' && char.IsAsciiLetter(s[k + 1]) && s[k + 2] == '}')
                    {
                        Add(tokens, new Token(TokenKind.Identifier, "\\mathbb{" + s[k + 1] + "}"), space);
                        space = false;
                        return k + 3;
                    }
                    if (k < end && s[k] == '{')
                    {
                        int close = MatchBrace(s, k, end);
                        if (close < 0) throw new LexException($"unbalanced '{{' after \\{name} at {k}");
                        if (cls == CommandClass.Text)
                        {
                            LexRange(s, k + 1, close, textMode: true, tokens, budget, ref depth);
                        }
                        else
                        {
                            Add(tokens, new Token(TokenKind.LBrace), space);
                            LexRange(s, k + 1, close, textMode, tokens, budget, ref depth);
                            tokens.Add(new Token(TokenKind.RBrace));
                        }
                        space = true;
                        return close + 1;
                    }
                    space = true;
                    return j;
                }
            case CommandClass.Environment:
                {
                    int k = SkipSpaces(s, j, end);
                    if (k < end && s[k] == '{')
                    {
                        int close = MatchBrace(s, k, end);
                        if (close < 0) throw new LexException($"unbalanced '{{' after \\{name} at {k}");
                        string env = s.Substring(k + 1, close - k - 1).Trim().TrimEnd('*');
                        Add(tokens, new Token(name == "begin" ? TokenKind.Begin : TokenKind.End, env), space);
                        j = close + 1;
                        // \begin{array}{cc}: skip the column specification.
                        if (name == "begin" && env == "array")
                        {
                            int m = SkipSpaces(s, j, end);
                            if (m < end && s[m] == '{')
                            {
                                int c2 = MatchBrace(s, m, end);
                                if (c2 > 0) j = c2 + 1;
                            }
                        }
                        space = false;
                        return j;
                    }
                    throw new LexException($"\\{name} without an environment name at {i}");
                }
            default:
                // An unknown command (\zzz, \sum) stands for an opaque name.
                Add(tokens, new Token(TokenKind.Identifier, "\\" + name), space);
                space = false;
                return j;
        }
    }

    /// <summary>\frac13, \sqrt3: a digit argument without braces is one digit (TeX's rule).</summary>
    private static int AddFracOrSqrt(string s, int j, int end, Token token, List<Token> tokens, bool spaceBefore, ref bool space)
    {
        Add(tokens, token, spaceBefore);
        space = false;
        int args = token.Kind == TokenKind.Frac ? 2 : 1;
        int k = SkipSpaces(s, j, end);
        for (int a = 0; a < args; a++)
        {
            if (k < end && char.IsAsciiDigit(s[k]))
            {
                tokens.Add(new Token(TokenKind.LBrace));
                tokens.Add(new Token(TokenKind.Number, s[k].ToString()));
                tokens.Add(new Token(TokenKind.RBrace));
                k = SkipSpaces(s, k + 1, end);
                j = k;
            }
            else break;
        }
        return j;
    }

    /// <summary>Index of the '}' matching the '{' at open, or -1.</summary>
    public static int MatchBrace(string s, int open, int end)
    {
        int depth = 0;
        for (int k = open; k < end; k++)
        {
            char c = s[k];
            if (c == '\\') { k++; continue; }
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return k;
        }
        return -1;
    }
}
