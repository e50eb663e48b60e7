// Budget: the hard per-call deadline. Every loop that can grow with its input (lexer, parser,
// evaluator, structural matching) calls Tick(); past the deadline it throws BudgetExceededException,
// which MathVerifier turns into Unverifiable("time budget …") — never into Incorrect.
// Not a timer thread: a Stopwatch timestamp read every 64 ticks, so the check costs ~nothing.
using System.Diagnostics;

namespace ReasonRL.Math;

/// <summary>Thrown inside the library when a call's budget is spent; never escapes MathVerifier.</summary>
internal sealed class BudgetExceededException(string what) : Exception(what);

/// <summary>Per-call deadline and step counter (one instance per call; not shared across threads).</summary>
internal sealed class Budget
{
    private readonly long _deadline;
    private int _steps;

    public Budget(TimeSpan limit)
    {
        long ticks = (long)(limit.TotalSeconds * Stopwatch.Frequency);
        _deadline = Stopwatch.GetTimestamp() + System.Math.Max(1, ticks);
    }

    /// <summary>A budget that never runs out (tests of single components).</summary>
    public static Budget Unlimited => new(TimeSpan.FromDays(1));

    /// <summary>Counts one unit of work; checks the clock every 64 units.</summary>
    public void Tick()
    {
        if ((++_steps & 63) == 0 && Stopwatch.GetTimestamp() > _deadline)
            throw new BudgetExceededException("time budget exceeded");
    }

    /// <summary>Checks the clock now.</summary>
    public void Check()
    {
        if (Stopwatch.GetTimestamp() > _deadline) throw new BudgetExceededException("time budget exceeded");
    }
}
