// JinjaLexer: template text → tokens, in the Jinja dialect of Hugging Face chat templates.
// Chat templates are rendered with trim_blocks and lstrip_blocks (transformers and
// @huggingface/jinja both do), so before tokenising, exactly as the reference does:
//   1. one trailing "\n" of the template is dropped;
//   2. lstrip_blocks: spaces/tabs from a line start up to "{%" / "{#" are removed (not before "{{");
//   3. trim_blocks: the "\n" right after "%}" / "#}" / "-}" is removed;
//   4. transformers' {% generation %} / {% endgeneration %} tags are removed (they render nothing);
// then "{%-"/"{{-"/"{#-" trim the whitespace before a tag and "-%}"/"-}}"/"-#}" the whitespace after.
// A unary "+"/"-" directly before digits becomes part of a number literal (the reference's rule).
// Every token keeps its offset in the original text, so errors name line:column of what the
// author wrote. Not a full Jinja lexer: no line statements, no raw blocks, no custom delimiters.
// Reference: Jinja "Whitespace Control"; @huggingface/jinja src/lexer.ts (behaviour, not code).
using System.Text;

namespace ReasonRL.Text.Chat.Jinja;

internal enum TokenKind
{
    Text, Number, String, Identifier, Equals, OpenParen, CloseParen, OpenStatement, CloseStatement,
    OpenExpression, CloseExpression, OpenBracket, CloseBracket, OpenBrace, CloseBrace, Comma, Dot, Colon,
    Pipe, Additive, Multiplicative, Power, Comparison, Unary, Comment,
}

/// <summary>One token; <see cref="Position"/> is its offset in the original template text.</summary>
internal sealed class Token(TokenKind kind, string value, int position)
{
    public TokenKind Kind { get; } = kind;
    public string Value { get; set; } = value;
    public int Position { get; } = position;
    public override string ToString() => $"{Kind} '{Value}'";
}

/// <summary>The template text, its name, and offset → line:column for errors.</summary>
internal sealed class TemplateSource(string name, string text)
{
    public string Name { get; } = name;
    public string Text { get; } = text;

    public ChatTemplateException Error(int position, string reason, bool raised = false)
    {
        int line = 1, column = 1;
        for (int i = 0; i < Math.Min(position, Text.Length); i++)
        {
            if (Text[i] == '\n') { line++; column = 1; }
            else column++;
        }
        return new ChatTemplateException(Name, line, column, reason, raised);
    }
}

internal static partial class JinjaLexer
{
    /// <summary>JavaScript's whitespace set (String.prototype.trim, /\s/): what the reference trims.</summary>
    public static bool IsWhitespace(char c) =>
        c is ' ' or '\t' or '\n' or '\v' or '\f' or '\r' or '\u00a0' or '\u1680' or '\u2028' or '\u2029'
            or '\u202f' or '\u205f' or '\u3000' or '\ufeff' || c is >= '\u2000' and <= '\u200a';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';
    private static bool IsWord(char c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '_';

    // Longest-first within each first character, as the reference's ordered table.
    private static readonly (string Text, TokenKind Kind)[] Symbols =
    [
        ("{%", TokenKind.OpenStatement), ("%}", TokenKind.CloseStatement), ("{{", TokenKind.OpenExpression),
        ("}}", TokenKind.CloseExpression), ("(", TokenKind.OpenParen), (")", TokenKind.CloseParen),
        ("{", TokenKind.OpenBrace), ("}", TokenKind.CloseBrace), ("[", TokenKind.OpenBracket),
        ("]", TokenKind.CloseBracket), (",", TokenKind.Comma), (".", TokenKind.Dot), (":", TokenKind.Colon),
        ("|", TokenKind.Pipe), ("<=", TokenKind.Comparison), (">=", TokenKind.Comparison),
        ("==", TokenKind.Comparison), ("!=", TokenKind.Comparison), ("<", TokenKind.Comparison),
        (">", TokenKind.Comparison), ("+", TokenKind.Additive), ("-", TokenKind.Additive), ("~", TokenKind.Additive),
        ("**", TokenKind.Power), ("*", TokenKind.Multiplicative), ("//", TokenKind.Multiplicative),
        ("/", TokenKind.Multiplicative), ("%", TokenKind.Multiplicative), ("=", TokenKind.Equals),
    ];

    /// <summary>Applies the chat-template whitespace options; <paramref name="map"/>[i] is the original offset of output char i.</summary>
    internal static string Preprocess(string text, out int[] map)
    {
        int length = text.EndsWith('\n') ? text.Length - 1 : text.Length;
        var identity = new int[length];
        for (int i = 0; i < length; i++) identity[i] = i;
        string s = text[..length];
        // lstrip_blocks: at each line start, [ \t]* followed by "{#", "{%" or "{-" is dropped.
        (s, map) = Rewrite(s, identity, (src, i) =>
        {
            bool lineStart = i == 0 || src[i - 1] is '\n' or '\r' or '\u2028' or '\u2029';
            if (!lineStart) return 0;
            int j = i;
            while (j < src.Length && src[j] is ' ' or '\t') j++;
            return j > i && j + 1 < src.Length && src[j] == '{' && src[j + 1] is '#' or '%' or '-' ? j - i : 0;
        });
        // trim_blocks: the newline right after "#}", "%}" or "-}" is dropped.
        (s, map) = Rewrite(s, map, (src, i) =>
            src[i] == '\n' && i >= 2 && src[i - 1] == '}' && src[i - 2] is '#' or '%' or '-' ? 1 : 0);
        return RemoveGenerationTags(s, ref map);
    }

    // transformers' {% generation %} / {% endgeneration %} (marking assistant tokens for training masks)
    // render nothing: the tags are removed, with the whitespace before them for "{%-" (not past an
    // earlier tag) and the whitespace after them for "-%}".
    private static string RemoveGenerationTags(string s, ref int[] map)
    {
        var drop = new bool[s.Length];
        int last = 0;
        bool any = false;
        foreach (System.Text.RegularExpressions.Match m in GenerationTag().Matches(s))
        {
            any = true;
            int start = m.Index;
            if (m.Groups[1].Length > 0)
            {
                while (start > last && IsWhitespace(s[start - 1])) start--;
            }
            int end = m.Index + m.Length - (m.Groups[2].Length > 0 ? 0 : m.Groups[3].Length);
            for (int i = start; i < end; i++) drop[i] = true;
            last = m.Index + m.Length;
        }
        if (!any) return s;
        var text = new StringBuilder(s.Length);
        var outMap = new List<int>(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (drop[i]) continue;
            text.Append(s[i]);
            outMap.Add(map[i]);
        }
        map = [.. outMap];
        return text.ToString();
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\{%(-?)\s*(?:end)?generation\s*(-?)%\}(\s*)", System.Text.RegularExpressions.RegexOptions.CultureInvariant)]
    private static partial System.Text.RegularExpressions.Regex GenerationTag();

    // Copies src, skipping the number of characters `drop` says at each index.
    private static (string, int[]) Rewrite(string src, int[] map, Func<string, int, int> drop)
    {
        var text = new StringBuilder(src.Length);
        var outMap = new List<int>(src.Length);
        for (int i = 0; i < src.Length;)
        {
            int n = drop(src, i);
            if (n > 0) { i += n; continue; }
            text.Append(src[i]);
            outMap.Add(map[i]);
            i++;
        }
        return (text.ToString(), outMap.ToArray());
    }

    public static List<Token> Tokenize(TemplateSource source)
    {
        string src = Preprocess(source.Text, out int[] map);
        int n = src.Length;
        var tokens = new List<Token>();
        int pos = 0, braceDepth = 0;
        int Orig(int i) => i < map.Length ? map[i] : source.Text.Length;
        ChatTemplateException Error(int at, string reason) => source.Error(Orig(at), reason);
        void Add(TokenKind kind, string value, int at) => tokens.Add(new Token(kind, value, Orig(at)));

        string ConsumeWhile(Func<char, bool> predicate)
        {
            int start = pos;
            while (pos < n && predicate(src[pos]))
            {
                if (++pos >= n) throw Error(start, "unexpected end of template (a tag is not closed)");
            }
            return src[start..pos];
        }

        void StripTrailingWhitespace()
        {
            if (tokens.Count > 0 && tokens[^1].Kind == TokenKind.Text)
            {
                string trimmed = tokens[^1].Value;
                int end = trimmed.Length;
                while (end > 0 && IsWhitespace(trimmed[end - 1])) end--;
                if (end == 0) tokens.RemoveAt(tokens.Count - 1);
                else tokens[^1].Value = trimmed[..end];
            }
        }

        void SkipLeadingWhitespace()
        {
            while (pos < n && IsWhitespace(src[pos])) pos++;
        }

        while (pos < n)
        {
            TokenKind? last = tokens.Count > 0 ? tokens[^1].Kind : null;
            if (last is null or TokenKind.CloseStatement or TokenKind.CloseExpression or TokenKind.Comment)
            {
                int end = pos;
                while (true)
                {
                    end = src.IndexOf('{', end);
                    if (end < 0) { end = n; break; }
                    if (end + 1 < n && src[end + 1] is '%' or '{' or '#') break;
                    end++;
                }
                if (end > pos)
                {
                    Add(TokenKind.Text, src[pos..end], pos);
                    pos = end;
                    continue;
                }
            }

            if (src[pos] == '{' && pos + 1 < n)
            {
                char next = src[pos + 1];
                if (next == '#')
                {
                    int start = pos;
                    pos += 2;
                    bool stripBefore = pos < n && src[pos] == '-';
                    if (stripBefore) pos++;
                    int close = src.IndexOf("#}", pos, StringComparison.Ordinal);
                    if (close < 0) throw Error(start, "comment \"{#\" is never closed with \"#}\"");
                    string comment = src[pos..close];
                    bool stripAfter = comment.EndsWith('-');
                    if (stripAfter) comment = comment[..^1];
                    if (stripBefore) StripTrailingWhitespace();
                    Add(TokenKind.Comment, comment, start);
                    pos = close + 2;
                    if (stripAfter) SkipLeadingWhitespace();
                    continue;
                }
                if (pos + 2 < n && src[pos + 2] == '-' && next is '%' or '{')
                {
                    StripTrailingWhitespace();
                    Add(next == '%' ? TokenKind.OpenStatement : TokenKind.OpenExpression, next == '%' ? "{%" : "{{", pos);
                    if (next == '{') braceDepth = 0;
                    pos += 3;
                    continue;
                }
            }

            ConsumeWhile(IsWhitespace);
            char c = src[pos];

            if (c == '-' && pos + 2 < n && src[pos + 2] == '}' && src[pos + 1] is '%' or '}')
            {
                Add(src[pos + 1] == '%' ? TokenKind.CloseStatement : TokenKind.CloseExpression, src[pos + 1] == '%' ? "%}" : "}}", pos);
                pos += 3;
                SkipLeadingWhitespace();
                continue;
            }

            if (c is '-' or '+')
            {
                if (last is null or TokenKind.Text) throw Error(pos, $"unexpected character '{c}'");
                if (last is not (TokenKind.Identifier or TokenKind.Number or TokenKind.String or TokenKind.CloseParen or TokenKind.CloseBracket))
                {
                    int start = pos++;
                    string digits = ConsumeWhile(IsDigit);
                    if (digits.Length > 0 && pos + 1 < n && src[pos] == '.' && IsDigit(src[pos + 1]))
                    {
                        pos++;
                        digits += "." + ConsumeWhile(IsDigit);
                    }
                    Add(digits.Length > 0 ? TokenKind.Number : TokenKind.Unary, c + digits, start);
                    continue;
                }
            }

            bool matched = false;
            foreach ((string text, TokenKind kind) in Symbols)
            {
                if (text == "}}" && braceDepth > 0) continue;
                if (string.CompareOrdinal(src, pos, text, 0, text.Length) != 0) continue;
                Add(kind, text, pos);
                if (kind == TokenKind.OpenExpression) braceDepth = 0;
                else if (kind == TokenKind.OpenBrace) braceDepth++;
                else if (kind == TokenKind.CloseBrace) braceDepth--;
                pos += text.Length;
                matched = true;
                break;
            }
            if (matched) continue;

            if (c is '\'' or '"')
            {
                int start = pos++;
                Add(TokenKind.String, ReadString(src, ref pos, c, at => at >= n ? Error(start, "string literal is never closed") : Error(at, "bad escape sequence in a string literal")), start);
                pos++;
                continue;
            }
            if (IsDigit(c))
            {
                int start = pos;
                string number = ConsumeWhile(IsDigit);
                if (last != TokenKind.Dot && pos + 1 < n && src[pos] == '.' && IsDigit(src[pos + 1]))
                {
                    pos++;
                    number += "." + ConsumeWhile(IsDigit);
                }
                Add(TokenKind.Number, number, start);
                continue;
            }
            if (IsWord(c))
            {
                int start = pos;
                Add(TokenKind.Identifier, ConsumeWhile(IsWord), start);
                continue;
            }
            throw Error(pos, $"unexpected character '{c}'");
        }
        return tokens;
    }

    // The literal's content up to (not including) the closing quote, escapes resolved
    // (\n \t \r \b \f \v \' \" \\ \xHH \uHHHH).
    private static string ReadString(string src, ref int pos, char quote, Func<int, ChatTemplateException> error)
    {
        var text = new StringBuilder();
        while (true)
        {
            if (pos >= src.Length) throw error(pos);
            char c = src[pos];
            if (c == quote) return text.ToString();
            pos++;
            if (c != '\\') { text.Append(c); continue; }
            if (pos >= src.Length) throw error(pos);
            char e = src[pos++];
            switch (e)
            {
                case 'n': text.Append('\n'); break;
                case 't': text.Append('\t'); break;
                case 'r': text.Append('\r'); break;
                case 'b': text.Append('\b'); break;
                case 'f': text.Append('\f'); break;
                case 'v': text.Append('\v'); break;
                case '\'' or '"' or '\\': text.Append(e); break;
                case 'x' or 'u':
                    int digits = e == 'x' ? 2 : 4;
                    if (pos + digits > src.Length || !int.TryParse(src.AsSpan(pos, digits), System.Globalization.NumberStyles.AllowHexSpecifier, null, out int code))
                        throw error(pos - 2);
                    text.Append((char)code);
                    pos += digits;
                    break;
                default: throw error(pos - 2);
            }
        }
    }
}
