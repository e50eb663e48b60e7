// NanGuard: decides, per optimisation step, whether a loss/gradient with NaN or ±Inf is skipped,
// and stops training after K consecutive bad steps so the last good state (weights, optimizer
// moments, checkpoint) stays intact. Every skip is reported with the step and reason for the log.
// What it is not: a gradient clipper, and it never mutates anything itself.
// Reference: issue 6 ("skip the update and log it; stop with state intact after k in a row").
namespace ReasonRL.Training;

/// <summary>What to do with this step's update.</summary>
public enum NanGuardAction
{
    /// <summary>All finite: apply the update.</summary>
    Apply,
    /// <summary>Non-finite: skip the update, keep going.</summary>
    Skip,
    /// <summary>K non-finite steps in a row: skip and stop training.</summary>
    Stop,
}

/// <summary>Counts non-finite steps.</summary>
public sealed class NanGuard
{
    /// <summary>Creates a guard that stops after <paramref name="maxConsecutive"/> bad steps in a row.</summary>
    public NanGuard(int maxConsecutive)
    {
        if (maxConsecutive < 1) throw new ArgumentOutOfRangeException(nameof(maxConsecutive), maxConsecutive, "expected ≥ 1");
        MaxConsecutive = maxConsecutive;
    }

    /// <summary>K.</summary>
    public int MaxConsecutive { get; }

    /// <summary>Bad steps in a row so far.</summary>
    public int Consecutive { get; private set; }

    /// <summary>All skipped steps.</summary>
    public int TotalSkipped { get; private set; }

    /// <summary>Human-readable reason of the last skip, or null.</summary>
    public string? LastReason { get; private set; }

    /// <summary>Checks the loss and the gradient buffers of step <paramref name="step"/>.</summary>
    public NanGuardAction Check(long step, double loss, params float[][] gradients)
    {
        string? reason = null;
        if (!double.IsFinite(loss)) reason = $"step {step}: loss is {loss}";
        else
            for (int k = 0; k < gradients.Length && reason is null; k++)
            {
                int bad = FirstNonFinite(gradients[k]);
                if (bad >= 0) reason = $"step {step}: gradient buffer {k} element {bad} is {gradients[k][bad]}";
            }
        return Record(reason);
    }

    /// <summary>Checks the loss and named gradient norms (a NaN/Inf element makes its norm non-finite).</summary>
    public NanGuardAction CheckNorms(long step, double loss, params (string Name, double Norm)[] gradientNorms)
    {
        string? reason = null;
        if (!double.IsFinite(loss)) reason = $"step {step}: loss is {loss}";
        else
            foreach (var (name, norm) in gradientNorms)
                if (!double.IsFinite(norm)) { reason = $"step {step}: {name} gradient norm is {norm}"; break; }
        return Record(reason);
    }

    private NanGuardAction Record(string? reason)
    {
        if (reason is null) { Consecutive = 0; return NanGuardAction.Apply; }
        Consecutive++;
        TotalSkipped++;
        LastReason = reason;
        return Consecutive >= MaxConsecutive ? NanGuardAction.Stop : NanGuardAction.Skip;
    }

    /// <summary>Restores counters on resume.</summary>
    public void Restore(int consecutive, int totalSkipped) { Consecutive = consecutive; TotalSkipped = totalSkipped; }

    /// <summary>Index of the first NaN/Inf, or −1.</summary>
    public static int FirstNonFinite(ReadOnlySpan<float> values)
    {
        for (int i = 0; i < values.Length; i++) if (!float.IsFinite(values[i])) return i;
        return -1;
    }
}
