// JinjaParser: tokens → syntax tree, recursive descent with the precedence of the reference
// renderer (lowest first):
//   a if c else b  <  or  <  and  <  not  <  comparisons, in, not in  <  + - ~  <  * / // %
//   <  **  <  is (tests)  <  | (filters)  <  unary + -  <  calls, .attr, [index], [a:b:c]
// (so `messages|length - 1` is `(messages|length) - 1`, as in Jinja).
// Statements: if/elif/else/endif, for/else/endfor (with tuple targets and an inline `if`),
// set (to a name, a tuple of names, ns.attr, or a captured block), macro (parameters with
// defaults; no call blocks), break, continue, comments.
// Not supported, reported as such with their position: call and filter blocks, include,
// import, extends/block, raw ({% generation %} tags are removed by the lexer).
// Reference: Jinja "Template Designer Documentation"; @huggingface/jinja src/parser.ts (behaviour).
namespace ReasonRL.Text.Chat.Jinja;

internal sealed class JinjaParser
{
    private readonly List<Token> _tokens;
    private readonly TemplateSource _source;
    private int _at;

    private JinjaParser(List<Token> tokens, TemplateSource source)
    {
        _tokens = tokens;
        _source = source;
    }

    public static IReadOnlyList<Node> Parse(TemplateSource source)
    {
        var parser = new JinjaParser(JinjaLexer.Tokenize(source), source);
        var body = new List<Node>();
        while (parser._at < parser._tokens.Count) body.Add(parser.ParseAny());
        return body;
    }

    // ---- token helpers ----
    private Token? Peek(int ahead = 0) => _at + ahead < _tokens.Count ? _tokens[_at + ahead] : null;
    private bool Is(TokenKind kind) => Peek()?.Kind == kind;
    private bool IsName(string name, int ahead = 0) => Peek(ahead) is { Kind: TokenKind.Identifier } t && t.Value == name;
    private int Here => Peek()?.Position ?? _source.Text.Length;

    private ChatTemplateException Error(string reason, int? position = null) => _source.Error(position ?? Here, reason);

    private Token Next(string what)
    {
        return Peek() is { } t ? _tokens[_at++] : throw Error($"unexpected end of template: expected {what}");
    }

    private Token Expect(TokenKind kind, string what)
    {
        Token t = Next(what);
        return t.Kind == kind ? t : throw Error($"expected {what}, found {Describe(t)}", t.Position);
    }

    private void ExpectName(string name)
    {
        Token t = Next($"'{name}'");
        if (t.Kind != TokenKind.Identifier || t.Value != name) throw Error($"expected '{name}', found {Describe(t)}", t.Position);
    }

    private static string Describe(Token t) => t.Kind switch
    {
        TokenKind.Text => "template text",
        TokenKind.String => $"string \"{t.Value}\"",
        TokenKind.Comment => "a comment",
        _ => $"'{t.Value}'",
    };

    // True at "{% name" for one of the names.
    private bool AtStatement(params string[] names) =>
        Is(TokenKind.OpenStatement) && Peek(1) is { Kind: TokenKind.Identifier } t && names.Contains(t.Value);

    // Parses nodes until one of the closing statements; an unclosed block names where it opened.
    private List<Node> ParseUntil(int openedAt, string block, params string[] closers)
    {
        var body = new List<Node>();
        while (!AtStatement(closers))
        {
            if (_at >= _tokens.Count) throw Error($"'{block}' is never closed (expected {string.Join(" or ", closers.Select(c => "{% " + c + " %}"))})", openedAt);
            body.Add(ParseAny());
        }
        return body;
    }

    private void ParseEnd(string name)
    {
        Expect(TokenKind.OpenStatement, "'{%'");
        ExpectName(name);
        Expect(TokenKind.CloseStatement, "'%}'");
    }

    // ---- statements ----
    private Node ParseAny()
    {
        Token t = _tokens[_at];
        switch (t.Kind)
        {
            case TokenKind.Comment:
                _at++;
                return new TextNode(t.Position, "");
            case TokenKind.Text:
                _at++;
                return new TextNode(t.Position, t.Value);
            case TokenKind.OpenExpression:
                _at++;
                Expr value = ParseExpression();
                Expect(TokenKind.CloseExpression, "'}}'");
                return new OutputNode(t.Position, value);
            case TokenKind.OpenStatement:
                return ParseStatement();
            default:
                throw Error($"unexpected {Describe(t)} outside a tag", t.Position);
        }
    }

    private Node ParseStatement()
    {
        int start = Expect(TokenKind.OpenStatement, "'{%'").Position;
        Token name = Next("a statement name");
        if (name.Kind != TokenKind.Identifier) throw Error($"expected a statement name after '{{%', found {Describe(name)}", name.Position);
        switch (name.Value)
        {
            case "set": return ParseSet(start);
            case "if":
                {
                    IfNode node = ParseIf(start);
                    ParseEnd("endif");
                    return node;
                }
            case "for":
                {
                    ForNode node = ParseFor(start);
                    ParseEnd("endfor");
                    return node;
                }
            case "macro":
                {
                    MacroNode node = ParseMacro(start);
                    ParseEnd("endmacro");
                    return node;
                }
            case "break":
                Expect(TokenKind.CloseStatement, "'%}'");
                return new BreakNode(start);
            case "continue":
                Expect(TokenKind.CloseStatement, "'%}'");
                return new ContinueNode(start);
            case "call" or "filter" or "include" or "import" or "from" or "extends" or "block" or "raw" or "with":
                throw Error($"the '{name.Value}' statement is not supported by this chat-template renderer (supported: if/elif/else, for, set, macro, break, continue)", name.Position);
            default:
                throw Error($"unknown or misplaced statement '{name.Value}'", name.Position);
        }
    }

    private SetNode ParseSet(int start)
    {
        Expr target = ParseSequence(primary: false);
        if (target is not (NameExpr or MemberExpr or ListExpr { IsTuple: true }))
            throw Error("set needs a name, a tuple of names or ns.attribute on its left", target.Position);
        if (Is(TokenKind.Equals))
        {
            _at++;
            Expr value = ParseSequence(primary: false);
            Expect(TokenKind.CloseStatement, "'%}'");
            return new SetNode(start, target, value, []);
        }
        Expect(TokenKind.CloseStatement, "'=' or '%}'");
        List<Node> body = ParseUntil(start, "set", "endset");
        ParseEnd("endset");
        return new SetNode(start, target, null, body);
    }

    private MacroNode ParseMacro(int start)
    {
        Token name = Next("a macro name");
        if (name.Kind != TokenKind.Identifier) throw Error($"expected a macro name, found {Describe(name)}", name.Position);
        var parameters = new List<(string, Expr?)>();
        foreach (Expr p in ParseArguments())
        {
            (string Name, Expr? Default) parameter = p switch
            {
                NameExpr n => (n.Name, null),
                KeywordExpr k => (k.Name, k.Value),
                _ => throw Error("a macro parameter must be a name or name=default", p.Position),
            };
            if (parameters.Any(q => q.Item1 == parameter.Name)) throw Error($"duplicate macro parameter '{parameter.Name}'", p.Position);
            parameters.Add(parameter);
        }
        Expect(TokenKind.CloseStatement, "'%}'");
        return new MacroNode(start, name.Value, parameters, ParseUntil(start, "macro", "endmacro"));
    }

    private IfNode ParseIf(int start)
    {
        Expr test = ParseExpression();
        Expect(TokenKind.CloseStatement, "'%}'");
        List<Node> body = ParseUntil(start, "if", "elif", "else", "endif");
        List<Node> otherwise = [];
        if (AtStatement("elif"))
        {
            int elifAt = Peek()!.Position;
            _at += 2;
            otherwise.Add(ParseIf(elifAt));
        }
        else if (AtStatement("else"))
        {
            _at += 2;
            Expect(TokenKind.CloseStatement, "'%}'");
            otherwise = ParseUntil(start, "if", "endif");
        }
        return new IfNode(start, test, body, otherwise);
    }

    private ForNode ParseFor(int start)
    {
        Expr target = ParseSequence(primary: true);
        bool names = target is NameExpr || (target is ListExpr { IsTuple: true } tuple && tuple.Items.All(i => i is NameExpr));
        if (!names) throw Error("the loop variable must be a name or a tuple of names", target.Position);
        if (!IsName("in")) throw Error("expected 'in' after the loop variable");
        _at++;
        Expr iterable = ParseOr();
        Expr? filter = null;
        if (IsName("if"))
        {
            _at++;
            filter = ParseOr();
        }
        Expect(TokenKind.CloseStatement, "'%}'");
        List<Node> body = ParseUntil(start, "for", "endfor", "else");
        List<Node> otherwise = [];
        if (AtStatement("else"))
        {
            _at += 2;
            Expect(TokenKind.CloseStatement, "'%}'");
            otherwise = ParseUntil(start, "for", "endfor");
        }
        return new ForNode(start, target, iterable, filter, body, otherwise);
    }

    // ---- expressions ----
    private Expr ParseSequence(bool primary)
    {
        int start = Here;
        Expr first = primary ? ParsePrimary() : ParseExpression();
        if (!Is(TokenKind.Comma)) return first;
        var items = new List<Expr> { first };
        while (Is(TokenKind.Comma))
        {
            _at++;
            items.Add(primary ? ParsePrimary() : ParseExpression());
        }
        return new ListExpr(start, items, IsTuple: true);
    }

    private Expr ParseExpression()
    {
        int start = Here;
        Expr value = ParseOr();
        if (!IsName("if")) return value;
        _at++;
        Expr condition = ParseOr();
        if (!IsName("else")) return new ConditionalExpr(start, condition, value, null);
        _at++;
        return new ConditionalExpr(start, condition, value, ParseExpression());
    }

    private Expr ParseOr()
    {
        Expr left = ParseAnd();
        while (IsName("or"))
        {
            int at = _tokens[_at++].Position;
            left = new BinaryExpr(at, "or", left, ParseAnd());
        }
        return left;
    }

    private Expr ParseAnd()
    {
        Expr left = ParseNot();
        while (IsName("and"))
        {
            int at = _tokens[_at++].Position;
            left = new BinaryExpr(at, "and", left, ParseNot());
        }
        return left;
    }

    private Expr ParseNot()
    {
        if (!IsName("not")) return ParseComparison();
        int at = _tokens[_at++].Position;
        return new UnaryExpr(at, "not", ParseNot());
    }

    private Expr ParseComparison()
    {
        Expr left = ParseAdditive();
        while (true)
        {
            string op;
            int at = Here;
            if (IsName("not") && IsName("in", 1)) { op = "not in"; _at += 2; }
            else if (IsName("in")) { op = "in"; _at++; }
            else if (Is(TokenKind.Comparison)) op = _tokens[_at++].Value;
            else return left;
            left = new BinaryExpr(at, op, left, ParseAdditive());
        }
    }

    private Expr ParseAdditive()
    {
        Expr left = ParseMultiplicative();
        while (Is(TokenKind.Additive))
        {
            Token op = _tokens[_at++];
            left = new BinaryExpr(op.Position, op.Value, left, ParseMultiplicative());
        }
        return left;
    }

    private Expr ParseMultiplicative()
    {
        Expr left = ParsePower();
        while (Is(TokenKind.Multiplicative))
        {
            Token op = _tokens[_at++];
            left = new BinaryExpr(op.Position, op.Value, left, ParsePower());
        }
        return left;
    }

    private Expr ParsePower()
    {
        Expr left = ParseTest();
        while (Is(TokenKind.Power))
        {
            Token op = _tokens[_at++];
            left = new BinaryExpr(op.Position, op.Value, left, ParseTest());
        }
        return left;
    }

    private Expr ParseTest()
    {
        Expr operand = ParseFilter();
        while (IsName("is"))
        {
            int at = _tokens[_at++].Position;
            bool negate = IsName("not");
            if (negate) _at++;
            Token name = Next("a test name");
            // `none`, `true`, `false` are names here, not the constants.
            if (name.Kind != TokenKind.Identifier) throw Error($"expected a test name after 'is', found {Describe(name)}", name.Position);
            operand = new TestExpr(at, operand, negate, name.Value);
        }
        return operand;
    }

    private Expr ParseFilter()
    {
        Expr operand = ParseUnary();
        while (Is(TokenKind.Pipe))
        {
            int at = _tokens[_at++].Position;
            Token name = Next("a filter name");
            if (name.Kind != TokenKind.Identifier) throw Error($"expected a filter name after '|', found {Describe(name)}", name.Position);
            IReadOnlyList<Expr>? args = Is(TokenKind.OpenParen) ? ParseArguments() : null;
            operand = new FilterExpr(at, operand, name.Value, args);
        }
        return operand;
    }

    private Expr ParseUnary()
    {
        if (Peek() is { Kind: TokenKind.Unary or TokenKind.Additive } t && t.Value is "-" or "+")
        {
            _at++;
            return new UnaryExpr(t.Position, t.Value, ParseUnary());
        }
        return ParsePostfix(ParsePrimary());
    }

    // Calls, attributes, subscripts and slices, in any order: a.b(c)[0].d(e).
    private Expr ParsePostfix(Expr value)
    {
        while (true)
        {
            if (Is(TokenKind.OpenParen))
            {
                value = new CallExpr(value.Position, value, ParseArguments());
            }
            else if (Is(TokenKind.Dot))
            {
                _at++;
                Token name = Next("an attribute name");
                if (name.Kind is not (TokenKind.Identifier or TokenKind.Number) || name.Value.Contains('.', StringComparison.Ordinal))
                    throw Error($"expected an attribute name or integer after '.', found {Describe(name)}", name.Position);
                object key = name.Kind == TokenKind.Number ? long.Parse(name.Value, System.Globalization.CultureInfo.InvariantCulture) : name.Value;
                value = new MemberExpr(name.Position, value, new LiteralExpr(name.Position, key));
            }
            else if (Is(TokenKind.OpenBracket))
            {
                value = ParseSubscript(value);
            }
            else
            {
                return value;
            }
        }
    }

    private Expr ParseSubscript(Expr value)
    {
        int at = _tokens[_at++].Position;
        var parts = new List<Expr?>();
        bool slice = false;
        while (!Is(TokenKind.CloseBracket))
        {
            if (_at >= _tokens.Count) throw Error("'[' is never closed", at);
            if (Is(TokenKind.Colon))
            {
                parts.Add(null);
                _at++;
                slice = true;
            }
            else
            {
                parts.Add(ParseExpression());
                if (Is(TokenKind.Colon))
                {
                    _at++;
                    slice = true;
                }
            }
        }
        _at++;
        if (parts.Count == 0) throw Error("empty subscript '[]'", at);
        if (!slice) return new MemberExpr(at, value, parts[0]!);
        if (parts.Count > 3) throw Error("a slice takes at most three parts [start:stop:step]", at);
        return new SliceExpr(at, value, parts[0], parts.Count > 1 ? parts[1] : null, parts.Count > 2 ? parts[2] : null);
    }

    private List<Expr> ParseArguments()
    {
        int at = Expect(TokenKind.OpenParen, "'('").Position;
        var args = new List<Expr>();
        bool keyword = false;
        while (!Is(TokenKind.CloseParen))
        {
            if (_at >= _tokens.Count) throw Error("'(' is never closed", at);
            Expr arg = ParseExpression();
            if (Is(TokenKind.Equals))
            {
                _at++;
                if (arg is not NameExpr name) throw Error("a keyword argument needs a name before '='", arg.Position);
                arg = new KeywordExpr(arg.Position, name.Name, ParseExpression());
                keyword = true;
            }
            else if (keyword)
            {
                throw Error("positional arguments must come before keyword arguments", arg.Position);
            }
            args.Add(arg);
            if (Is(TokenKind.Comma)) _at++;
            else if (!Is(TokenKind.CloseParen)) throw Error($"expected ',' or ')' in the argument list, found {(Peek() is { } t ? Describe(t) : "the end")}");
        }
        _at++;
        return args;
    }

    private Expr ParsePrimary()
    {
        Token t = Next("an expression");
        switch (t.Kind)
        {
            case TokenKind.Number:
                return new LiteralExpr(t.Position, t.Value.Contains('.', StringComparison.Ordinal)
                    ? (object)double.Parse(t.Value, System.Globalization.CultureInfo.InvariantCulture)
                    : long.Parse(t.Value, System.Globalization.CultureInfo.InvariantCulture));
            case TokenKind.String:
                {
                    // Adjacent literals concatenate: "a" "b" == "ab".
                    string text = t.Value;
                    while (Is(TokenKind.String)) text += _tokens[_at++].Value;
                    return new LiteralExpr(t.Position, text);
                }
            case TokenKind.Identifier:
                return new NameExpr(t.Position, t.Value);
            case TokenKind.OpenParen:
                {
                    Expr inner = ParseSequence(primary: false);
                    Expect(TokenKind.CloseParen, "')'");
                    return inner;
                }
            case TokenKind.OpenBracket:
                {
                    var items = new List<Expr>();
                    while (!Is(TokenKind.CloseBracket))
                    {
                        if (_at >= _tokens.Count) throw Error("'[' is never closed", t.Position);
                        items.Add(ParseExpression());
                        if (Is(TokenKind.Comma)) _at++;
                        else if (!Is(TokenKind.CloseBracket)) throw Error($"expected ',' or ']' in the list, found {(Peek() is { } p ? Describe(p) : "the end")}");
                    }
                    _at++;
                    return new ListExpr(t.Position, items, IsTuple: false);
                }
            case TokenKind.OpenBrace:
                {
                    var items = new List<(Expr, Expr)>();
                    while (!Is(TokenKind.CloseBrace))
                    {
                        if (_at >= _tokens.Count) throw Error("'{' is never closed", t.Position);
                        Expr key = ParseExpression();
                        Expect(TokenKind.Colon, "':' between key and value");
                        items.Add((key, ParseExpression()));
                        if (Is(TokenKind.Comma)) _at++;
                        else if (!Is(TokenKind.CloseBrace)) throw Error($"expected ',' or '}}' in the dict, found {(Peek() is { } p ? Describe(p) : "the end")}");
                    }
                    _at++;
                    return new DictExpr(t.Position, items);
                }
            default:
                throw Error($"expected an expression, found {Describe(t)}", t.Position);
        }
    }
}
