// BigRational: exact rationals on BigInteger, always reduced, denominator > 0. The exact path of
// the verifier (integers, decimals, fractions, percentages) runs on these, so 0.1 + 0.2 == 3/10
// holds exactly and 1/3 never equals 0.3333. Not a general number tower: no NaN, no infinity.
using System.Globalization;
using System.Numerics;

namespace ReasonRL.Verifier;

/// <summary>An exact rational number Num/Den, reduced, Den &gt; 0.</summary>
internal readonly struct BigRational : IEquatable<BigRational>
{
    public BigInteger Num { get; }
    public BigInteger Den { get; }

    public BigRational(BigInteger num, BigInteger den)
    {
        if (den.IsZero) throw new DivideByZeroException();
        if (den.Sign < 0) { num = -num; den = -den; }
        var g = BigInteger.GreatestCommonDivisor(num, den);
        if (!g.IsOne && !g.IsZero) { num /= g; den /= g; }
        Num = num;
        Den = den.IsZero ? BigInteger.One : den;
    }

    public static BigRational Zero => new(BigInteger.Zero, BigInteger.One);
    public static BigRational One => new(BigInteger.One, BigInteger.One);
    public static BigRational FromInt(long v) => new(v, BigInteger.One);

    public bool IsZero => Num.IsZero;
    public bool IsInteger => Den.IsOne;
    public int Sign => Num.Sign;

    /// <summary>Size in bits of numerator plus denominator (the guard against blow-up).</summary>
    public long Bits => (long)(Num.IsZero ? 0 : Num.GetBitLength()) + (long)Den.GetBitLength();

    public static BigRational operator +(BigRational a, BigRational b) => new(a.Num * b.Den + b.Num * a.Den, a.Den * b.Den);
    public static BigRational operator -(BigRational a, BigRational b) => new(a.Num * b.Den - b.Num * a.Den, a.Den * b.Den);
    public static BigRational operator *(BigRational a, BigRational b) => new(a.Num * b.Num, a.Den * b.Den);
    public static BigRational operator /(BigRational a, BigRational b) => new(a.Num * b.Den, a.Den * b.Num);
    public static BigRational operator -(BigRational a) => new(-a.Num, a.Den);

    public static bool operator ==(BigRational a, BigRational b) => a.Equals(b);
    public static bool operator !=(BigRational a, BigRational b) => !a.Equals(b);

    public bool Equals(BigRational other) => Num == other.Num && Den == other.Den;
    public override bool Equals(object? obj) => obj is BigRational r && Equals(r);
    public override int GetHashCode() => HashCode.Combine(Num, Den);

    /// <summary>Integer power; exponent may be negative. Caller guards the size.</summary>
    public BigRational Pow(int exponent)
    {
        if (exponent == 0) return One;
        if (exponent < 0) return new BigRational(BigInteger.Pow(Den, -exponent), BigInteger.Pow(Num, -exponent));
        return new BigRational(BigInteger.Pow(Num, exponent), BigInteger.Pow(Den, exponent));
    }

    /// <summary>Exact n-th root when numerator and denominator are perfect n-th powers, else null.</summary>
    public BigRational? Root(int n)
    {
        if (n <= 0) return null;
        if (Num.Sign < 0 && n % 2 == 0) return null;
        var num = IntegerRoot(BigInteger.Abs(Num), n);
        var den = IntegerRoot(Den, n);
        if (num is null || den is null) return null;
        return new BigRational(Num.Sign < 0 ? -num.Value : num.Value, den.Value);
    }

    private static BigInteger? IntegerRoot(BigInteger v, int n)
    {
        if (v.IsZero || v.IsOne) return v;
        if (v.GetBitLength() > 4096) return null;
        double guess = Math.Round(Math.Exp(BigInteger.Log(v) / n));
        if (double.IsInfinity(guess) || double.IsNaN(guess)) return null;
        var g = new BigInteger(guess);
        for (var d = -1; d <= 1; d++)
        {
            var c = g + d;
            if (c.Sign >= 0 && BigInteger.Pow(c, n) == v) return c;
        }
        return null;
    }

    public double ToDouble()
    {
        double n = (double)Num, d = (double)Den;
        if (!double.IsInfinity(n) && !double.IsInfinity(d)) return n / d;
        // Scale both down so the quotient survives: keep the top 1000 bits.
        long shift = Math.Max((long)Num.GetBitLength(), (long)Den.GetBitLength()) - 1000;
        if (shift <= 0) return n / d;
        return (double)(Num >> (int)shift) / (double)(Den >> (int)shift);
    }

    /// <summary>Parses "123", "-1.25", ".5", "1e-3" exactly.</summary>
    public static BigRational ParseDecimal(ReadOnlySpan<char> text)
    {
        int exp10 = 0;
        int e = text.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            exp10 = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }
        // Guard: 1e99999 would cost a 330,000-bit power; such literals are not answers.
        if (Math.Abs(exp10) > MaxDecimalExponent || text.Length > MaxDecimalExponent)
            throw new OverflowException($"number literal out of range (exponent or length above {MaxDecimalExponent})");
        int dot = text.IndexOf('.');
        string digits = dot < 0 ? text.ToString() : string.Concat(text[..dot], text[(dot + 1)..]);
        if (dot >= 0) exp10 -= text.Length - dot - 1;
        if (digits.Length == 0 || digits == "-") digits += "0";
        var num = BigInteger.Parse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return exp10 >= 0
            ? new BigRational(num * BigInteger.Pow(10, exp10), BigInteger.One)
            : new BigRational(num, BigInteger.Pow(10, -exp10));
    }

    /// <summary>Parses a repeating decimal "12.(45)" (digits before the parentheses, then the period)
    /// exactly: 12.(45) = 137/11, 0.1(6) = 1/6, 1.(9) = 2.</summary>
    public static BigRational ParseRepeating(ReadOnlySpan<char> text)
    {
        int open = text.IndexOf('(');
        if (open < 0 || text[^1] != ')' || text.Length > MaxDecimalExponent) throw new FormatException($"not a repeating decimal: {text}");
        var head = text[..open];
        var period = text[(open + 1)..^1];
        if (head.EndsWith(".")) head = head[..^1];
        int dot = head.IndexOf('.');
        int fractionDigits = dot < 0 ? 0 : head.Length - dot - 1;
        var prefix = ParseDecimal(head.Length == 0 ? "0" : head);
        var repeat = BigInteger.Parse(period, NumberStyles.None, CultureInfo.InvariantCulture);
        // The period's value: repeat / (10^len - 1), shifted behind the written fraction digits.
        var tail = new BigRational(repeat, (BigInteger.Pow(10, period.Length) - 1) * BigInteger.Pow(10, fractionDigits));
        return prefix.Sign < 0 ? prefix - tail : prefix + tail;
    }

    /// <summary>Largest decimal exponent / literal length parsed exactly.</summary>
    public const int MaxDecimalExponent = 1000;

    /// <summary>True when the value is too large to print in full cheaply (ToString is superlinear).</summary>
    public bool IsHuge => Bits > 4000;

    public override string ToString() => IsHuge
        ? $"big#{Bits}:{HashCode.Combine(Num, Den) & 0x7fffffff}"
        : Den.IsOne
        ? Num.ToString(CultureInfo.InvariantCulture)
        : Num.ToString(CultureInfo.InvariantCulture) + "/" + Den.ToString(CultureInfo.InvariantCulture);
}
