// LabTaskOptions: the immutable knobs of the lab's problem generator, each default in one place.
// Not the labeller's options (StepLabellerOptions) and not the split rule (LabTask.SplitOf, fixed so
// that every run agrees on which problems are held out).
namespace ReasonRL.Data.Lab;

/// <summary>Kinds of correct-but-unnecessary lines the generator can insert into SFT solutions.</summary>
[Flags]
public enum UnnecessaryLineKinds
{
    /// <summary>No unnecessary lines.</summary>
    None = 0,

    /// <summary>Restating the last result: <c>19 = 19</c>.</summary>
    Restatement = 1,

    /// <summary>Repeating an earlier line verbatim: <c>12 + 7 = 19</c> again.</summary>
    Repeat = 2,

    /// <summary>Checking the last step by its inverse: <c>19 - 7 = 12</c>.</summary>
    InverseCheck = 4,

    /// <summary>All three kinds.</summary>
    All = Restatement | Repeat | InverseCheck,
}

/// <summary>Options of <see cref="LabTaskGenerator"/>. Immutable; the same options and seed always
/// give the same problems.</summary>
public sealed record LabTaskOptions
{
    /// <summary>The defaults listed on each property.</summary>
    public static LabTaskOptions Default { get; } = new();

    /// <summary>Seed of the generator. Default: 1234.</summary>
    public int Seed { get; init; } = 1234;

    /// <summary>Fewest operations per problem (solution lines before the answer). Default: 2.</summary>
    public int MinOperations { get; init; } = 2;

    /// <summary>Most operations per problem. Default: 4 (keeps solutions under ~160 characters).</summary>
    public int MaxOperations { get; init; } = 4;

    /// <summary>Largest starting amount and largest added/removed amount. Default: 20 (e.g. 12 + 7).</summary>
    public int OperandMax { get; init; } = 20;

    /// <summary>Largest multiplier in "n times as many". Default: 3 (0 or 1 disables products).</summary>
    public int MultiplierMax { get; init; } = 3;

    /// <summary>Largest intermediate result allowed; problems exceeding it are redrawn. Default: 99.</summary>
    public int ResultMax { get; init; } = 99;

    /// <summary>Probability, per gold line, that an unnecessary line follows it in the SFT solution.
    /// Default: 0.1 (a small share, so the policy can produce them but gold style dominates).</summary>
    public double UnnecessaryLineShare { get; init; } = 0.1;

    /// <summary>Which unnecessary lines may be inserted. Default: all three kinds.</summary>
    public UnnecessaryLineKinds UnnecessaryKinds { get; init; } = UnnecessaryLineKinds.All;

    /// <summary>Throws <see cref="ArgumentException"/> naming the field and the expected range.</summary>
    public void Validate()
    {
        if (MinOperations < 1) throw new ArgumentException($"LabTaskOptions.MinOperations = {MinOperations}; expected >= 1");
        if (MaxOperations < MinOperations) throw new ArgumentException($"LabTaskOptions.MaxOperations = {MaxOperations}; expected >= MinOperations ({MinOperations})");
        if (MaxOperations > 12) throw new ArgumentException($"LabTaskOptions.MaxOperations = {MaxOperations}; expected <= 12 (solutions must stay short)");
        if (OperandMax < 2) throw new ArgumentException($"LabTaskOptions.OperandMax = {OperandMax}; expected >= 2");
        if (ResultMax < OperandMax) throw new ArgumentException($"LabTaskOptions.ResultMax = {ResultMax}; expected >= OperandMax ({OperandMax})");
        if (ResultMax > 1_000_000) throw new ArgumentException($"LabTaskOptions.ResultMax = {ResultMax}; expected <= 1000000");
        if (MultiplierMax < 0 || MultiplierMax > 9) throw new ArgumentException($"LabTaskOptions.MultiplierMax = {MultiplierMax}; expected 0..9");
        if (!(UnnecessaryLineShare >= 0 && UnnecessaryLineShare <= 1)) throw new ArgumentException($"LabTaskOptions.UnnecessaryLineShare = {UnnecessaryLineShare}; expected 0..1");
        if ((UnnecessaryKinds & ~UnnecessaryLineKinds.All) != 0) throw new ArgumentException($"LabTaskOptions.UnnecessaryKinds = {UnnecessaryKinds}; expected a combination of Restatement, Repeat, InverseCheck");
    }
}
