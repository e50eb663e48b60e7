// JinjaNodes: the syntax tree of a chat template. Statements render text (Text, Output, If, For,
// Set, Macro, Break, Continue); expressions evaluate to values (see JinjaValue.cs). Every node keeps the
// offset of its first token in the original template text, for located errors.
namespace ReasonRL.Text.Chat.Jinja;

internal abstract record Node(int Position);

// ---- statements ----
internal sealed record TextNode(int Position, string Text) : Node(Position);
internal sealed record OutputNode(int Position, Expr Value) : Node(Position);
internal sealed record IfNode(int Position, Expr Test, IReadOnlyList<Node> Body, IReadOnlyList<Node> Else) : Node(Position);
/// <summary>{% for Target in Iterable [if Filter] %}Body{% else %}Else{% endfor %}.</summary>
internal sealed record ForNode(int Position, Expr Target, Expr Iterable, Expr? Filter, IReadOnlyList<Node> Body, IReadOnlyList<Node> Else) : Node(Position);
/// <summary>{% set Target = Value %} or, with Value null, {% set Target %}Body{% endset %}.</summary>
internal sealed record SetNode(int Position, Expr Target, Expr? Value, IReadOnlyList<Node> Body) : Node(Position);
internal sealed record BreakNode(int Position) : Node(Position);
/// <summary>{% macro Name(a, b=default) %}Body{% endmacro %}: defines a function that renders Body.</summary>
internal sealed record MacroNode(int Position, string Name, IReadOnlyList<(string Name, Expr? Default)> Parameters, IReadOnlyList<Node> Body) : Node(Position);
internal sealed record ContinueNode(int Position) : Node(Position);

// ---- expressions ----
internal abstract record Expr(int Position) : Node(Position);
/// <summary>A string, integer (long) or float (double) literal.</summary>
internal sealed record LiteralExpr(int Position, object Value) : Expr(Position);
internal sealed record NameExpr(int Position, string Name) : Expr(Position);
internal sealed record ListExpr(int Position, IReadOnlyList<Expr> Items, bool IsTuple) : Expr(Position);
internal sealed record DictExpr(int Position, IReadOnlyList<(Expr Key, Expr Value)> Items) : Expr(Position);
/// <summary>Object.Name (Property a literal) or Object[Property].</summary>
internal sealed record MemberExpr(int Position, Expr Object, Expr Property) : Expr(Position);
/// <summary>Object[Start:Stop:Step], each part optional.</summary>
internal sealed record SliceExpr(int Position, Expr Object, Expr? Start, Expr? Stop, Expr? Step) : Expr(Position);
internal sealed record CallExpr(int Position, Expr Callee, IReadOnlyList<Expr> Args) : Expr(Position);
/// <summary>name=value inside a call's argument list.</summary>
internal sealed record KeywordExpr(int Position, string Name, Expr Value) : Expr(Position);
internal sealed record BinaryExpr(int Position, string Op, Expr Left, Expr Right) : Expr(Position);
internal sealed record UnaryExpr(int Position, string Op, Expr Operand) : Expr(Position);
/// <summary>Operand | Name or Operand | Name(Args) (Args null without parentheses).</summary>
internal sealed record FilterExpr(int Position, Expr Operand, string Name, IReadOnlyList<Expr>? Args) : Expr(Position);
/// <summary>Operand is [not] Name.</summary>
internal sealed record TestExpr(int Position, Expr Operand, bool Negate, string Name) : Expr(Position);
/// <summary>Then if Condition else Else; without else (Else null) the value is undefined when Condition is false.</summary>
internal sealed record ConditionalExpr(int Position, Expr Condition, Expr Then, Expr? Else) : Expr(Position);
