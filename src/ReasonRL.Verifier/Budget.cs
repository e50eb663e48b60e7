// Budget: the per-call work limit. The primary limit is deterministic *work fuel*: every loop that
// can grow with its input (extraction, lexer, parser, exact and numeric evaluation, the numeric
// sampler, structural matching) charges steps, and big-integer arithmetic charges by operand size
// (one step per 64-bit limb for linear operations, limb products / 4 for big × big ones;
// calibrated so that no kind of step costs much more than ~10–25 ns on a quiet machine). Spending more than VerifyOptions.WorkBudget steps throws
// BudgetExceededException("work budget exceeded: …"), so the same input and options always give
// the same verdict, whatever the machine load.
// The wall clock is only a hang guard (VerifyOptions.TimeBudget, default 1 s): it is read every
// 256 steps and fires only for a call that is genuinely stuck. Neither limit ever yields Incorrect:
// MathVerifier turns both into Unverifiable.
// Not a timer thread and not shared: one instance per call.
using System.Diagnostics;

namespace ReasonRL.Verifier;

/// <summary>Thrown inside the library when a call's budget is spent; never escapes MathVerifier.</summary>
internal sealed class BudgetExceededException(string what) : Exception(what);

/// <summary>Per-call work fuel plus a wall-clock hang guard (one instance per call; not thread-safe).</summary>
internal sealed class Budget
{
    private readonly long _fuel;
    private readonly long _deadline;
    private long _spent;
    private long _nextClockCheck = ClockEvery;
    private const long ClockEvery = 256;

    public Budget(long fuel, TimeSpan backstop)
    {
        _fuel = Math.Max(1, fuel);
        long ticks = (long)Math.Min(backstop.TotalSeconds * Stopwatch.Frequency, long.MaxValue / 4);
        _deadline = Stopwatch.GetTimestamp() + Math.Max(1, ticks);
    }

    /// <summary>A budget that never runs out (tests of single components).</summary>
    public static Budget Unlimited => new(long.MaxValue / 4, TimeSpan.FromDays(1));

    /// <summary>Steps charged so far.</summary>
    public long Spent => _spent;

    /// <summary>Which stage is running ("extraction", "parsing", "comparison"), named in the exhaustion message.</summary>
    public string Stage { get; set; } = "extraction";

    /// <summary>Charges one step.</summary>
    public void Tick() => Charge(1);

    /// <summary>Charges <paramref name="steps"/> steps (negative counts as zero).</summary>
    public void Charge(long steps)
    {
        if (steps > 0) _spent += steps;
        if (_spent > _fuel)
            throw new BudgetExceededException($"work budget exceeded: more than {_fuel} steps during {Stage}");
        if (_spent >= _nextClockCheck)
        {
            _nextClockCheck = _spent + ClockEvery;
            Check();
        }
    }

    /// <summary>Charges a linear big-number operation (a big number times or over a small one, a
    /// comparison) by the size of its operand: one step per 64-bit limb.</summary>
    public void ChargeBits(long bits) => Charge(1 + (bits >> 6));

    /// <summary>Charges a big × big operation (rational +, ×, ÷ with their GCD reduction, Euclid's GCD):
    /// schoolbook cost, one step per 4 limb products (calibrated: ~10 ns a step), plus the linear part.</summary>
    public void ChargeProduct(long bitsA, long bitsB)
    {
        long la = 1 + (bitsA >> 6), lb = 1 + (bitsB >> 6);
        Charge(la + lb + (la > 0 && lb > long.MaxValue / 64 / la ? long.MaxValue / 64 : la * lb / 4));
    }

    /// <summary>Reads the clock now (the hang guard only).</summary>
    public void Check()
    {
        if (Stopwatch.GetTimestamp() > _deadline)
            throw new BudgetExceededException($"time backstop exceeded during {Stage} (hang guard; the work budget did not stop this call)");
    }
}
