// LatexCommands: the table of LaTeX command names the lexer understands, as explicit switch
// statements (no reflection, no runtime-built dictionaries of delegates). Not the lexer itself.
namespace ReasonRL.Verifier;

internal enum CommandClass
{
    Unknown, Ignore, Space, Text, Transparent, Token, Function, Greek, Environment, Thousands,
}

internal static class LatexCommands
{
    /// <summary>Classifies a command name (without the backslash); for Token, also the token.</summary>
    public static CommandClass Classify(string name, out Token token)
    {
        token = default;
        switch (name)
        {
            case "left" or "right" or "big" or "Big" or "bigg" or "Bigg" or "bigl" or "bigr" or "Bigl" or "Bigr"
                or "biggl" or "biggr" or "displaystyle" or "textstyle" or "limits" or "nolimits" or "mathstrut"
                or "phantom" or "hfill" or "middle" or "rm" or "bf" or "it" or "noindent" or "dots" or "ldots"
                or "cdots" or "quad" or "qquad" or "enspace" or "hspace" or "space" or "negthinspace":
                return name is "quad" or "qquad" ? CommandClass.Space : CommandClass.Ignore;
            case "text" or "textbf" or "textit" or "textrm" or "textnormal" or "mbox" or "mathrm" or "mathbf"
                or "mathit" or "mathsf" or "textsf" or "texttt" or "mathtt" or "operatorname" or "hbox" or "emph":
                return CommandClass.Text;
            case "boxed" or "fbox" or "overline" or "bar" or "hat" or "vec" or "widehat" or "tilde" or "underline"
                or "mathbb" or "mathcal" or "bm" or "boldsymbol" or "overrightarrow" or "color":
                return CommandClass.Transparent;
            case "begin" or "end":
                return CommandClass.Environment;
        }
        token = name switch
        {
            "frac" or "dfrac" or "tfrac" or "cfrac" => new Token(TokenKind.Frac),
            "sqrt" => new Token(TokenKind.Sqrt),
            "binom" or "dbinom" or "tbinom" => new Token(TokenKind.Binom),
            "choose" => new Token(TokenKind.Binom, "choose"),
            "pi" => new Token(TokenKind.Constant, Constant: ConstantKind.Pi),
            "infty" or "infin" => new Token(TokenKind.Constant, Constant: ConstantKind.Infinity),
            "pm" or "mp" => new Token(TokenKind.PlusMinus),
            "cdot" or "times" or "ast" => new Token(TokenKind.Star),
            "div" => new Token(TokenKind.Slash),
            "le" or "leq" or "leqslant" or "leqq" => Rel(RelationOp.LessEqual),
            "ge" or "geq" or "geqslant" or "geqq" => Rel(RelationOp.GreaterEqual),
            "lt" => Rel(RelationOp.Less),
            "gt" => Rel(RelationOp.Greater),
            "ne" or "neq" => Rel(RelationOp.NotEqual),
            "approx" or "simeq" or "approxeq" or "thickapprox" => Rel(RelationOp.Approx),
            "in" => Rel(RelationOp.In),
            "cup" => new Token(TokenKind.Cup),
            "setminus" or "backslash" => new Token(TokenKind.SetMinus),
            "emptyset" or "varnothing" or "empty" => new Token(TokenKind.Identifier, "\\emptyset"),
            "lfloor" => new Token(TokenKind.FloorOpen),
            "rfloor" => new Token(TokenKind.FloorClose),
            "lceil" => new Token(TokenKind.CeilOpen),
            "rceil" => new Token(TokenKind.CeilClose),
            "circ" or "degree" => new Token(TokenKind.Degree),
            "lbrace" => new Token(TokenKind.SetOpen),
            "rbrace" => new Token(TokenKind.SetClose),
            "langle" => new Token(TokenKind.LParen),
            "rangle" => new Token(TokenKind.RParen),
            "vert" or "lvert" or "rvert" or "mid" => new Token(TokenKind.Pipe),
            "and" => new Token(TokenKind.Separator),
            "bmod" or "pmod" or "mod" => new Token(TokenKind.Word, "mod"),
            "to" or "rightarrow" or "implies" or "Rightarrow" => new Token(TokenKind.Word, "to"),
            _ => default,
        };
        if (token.Kind != default || name is "frac" or "dfrac" or "tfrac" or "cfrac") return CommandClass.Token;
        if (IsFunction(name)) { token = new Token(TokenKind.Function, name); return CommandClass.Function; }
        if (IsGreek(name)) { token = new Token(TokenKind.Identifier, name); return CommandClass.Greek; }
        return CommandClass.Unknown;
    }

    private static Token Rel(RelationOp op) => new(TokenKind.Relation, Op: op);

    /// <summary>Functions the evaluator knows (LaTeX spelling without backslash, or plain text).</summary>
    public static bool IsFunction(string name) => name is "sin" or "cos" or "tan" or "cot" or "sec" or "csc"
        or "arcsin" or "arccos" or "arctan" or "sinh" or "cosh" or "tanh" or "ln" or "log" or "exp" or "lg"
        or "det" or "gcd" or "lcm" or "max" or "min" or "abs" or "lim" or "sum" or "prod" or "int";

    public static bool IsGreek(string name) => name is "alpha" or "beta" or "gamma" or "delta" or "epsilon"
        or "varepsilon" or "zeta" or "eta" or "theta" or "vartheta" or "iota" or "kappa" or "lambda" or "mu"
        or "nu" or "xi" or "rho" or "sigma" or "tau" or "upsilon" or "phi" or "varphi" or "chi" or "psi"
        or "omega" or "Gamma" or "Delta" or "Theta" or "Lambda" or "Xi" or "Sigma" or "Phi" or "Psi" or "Omega";

    /// <summary>Words that are units or percent/degree spellings around a number.</summary>
    public static TokenKind ClassifyWord(string lower) => lower switch
    {
        "percent" or "pct" or "percentage" or "percents" => TokenKind.Percent,
        "degree" or "degrees" or "deg" => TokenKind.Degree,
        "and" or "or" => TokenKind.Separator,
        "pi" => TokenKind.Constant,
        "sqrt" => TokenKind.Sqrt,
        "infty" or "inf" or "infinity" => TokenKind.Constant,
        _ => TokenKind.Word,
    };

    /// <summary>Three-letter runs that are units even when glued to a number ("5min", "60mph", "10lbs"), not
    /// products of three variables; "mod" stays the operator word.</summary>
    public static bool IsThreeLetterUnit(string run) => run.ToLowerInvariant() is "min" or "sec" or "hrs" or "yrs" or "day"
        or "mph" or "kph" or "kmh" or "rpm" or "lbs" or "kgs" or "pcs" or "pts" or "gal" or "qts" or "cal" or "mol" or "usd"
        or "eur" or "gbp" or "yen" or "mod";

    /// <summary>Two-letter runs that are units, not products of two variables.</summary>
    public static bool IsShortUnit(string run) => run is "cm" or "mm" or "km" or "kg" or "mg" or "ml" or "mL"
        or "ft" or "yd" or "mi" or "oz" or "lb" or "hr" or "hrs" or "am" or "pm" or "AM" or "PM" or "gb" or "GB"
        or "kb" or "KB" or "mb" or "MB" or "sq" or "th" or "st" or "nd" or "rd" or "pt" or "Hz" or "kW";
}
