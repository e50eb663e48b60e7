// Token: what LatexLexer produces and LatexParser consumes. A small value type; the lexer has
// already resolved LaTeX spellings (\dfrac → Frac, \leq → Relation(LessEqual), ^\circ → Degree),
// so the parser never looks at raw command names except for functions and environments.
namespace ReasonRL.Verifier;

internal enum TokenKind
{
    Number, Time, Identifier, Word, Constant, Function,
    Plus, Minus, PlusMinus, Star, Slash, Caret, Underscore, Prime,
    LParen, RParen, LBracket, RBracket, LBrace, RBrace, SetOpen, SetClose,
    Comma, Semicolon, Pipe, Bang, Percent, Degree, Relation, Colon, Ampersand, RowSeparator,
    Frac, Sqrt, Binom, Cup, SetMinus, Begin, End, Separator,
    FloorOpen, FloorClose, CeilOpen, CeilClose,
}

/// <summary>One lexed token. Text holds the identifier/word/function/environment name or number text.</summary>
internal readonly record struct Token(TokenKind Kind, string Text = "", RelationOp Op = RelationOp.Equal,
    ConstantKind Constant = ConstantKind.Pi, bool SpaceBefore = false)
{
    public override string ToString() => Kind switch
    {
        TokenKind.Number or TokenKind.Identifier or TokenKind.Word or TokenKind.Function or TokenKind.Time => $"{Kind}({Text})",
        TokenKind.Relation => $"Rel({Op})",
        _ => Kind.ToString(),
    };
}
