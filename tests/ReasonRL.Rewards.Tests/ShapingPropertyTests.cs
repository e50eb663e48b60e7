// FsCheck properties of the shaping functions over 10,000 random step-score sequences each
// (docs/reward-methods.md §3: the bounds that make Clip / Delta / Clip-Delta unfarmable).
//
// The hack property, stated precisely. Scores are PRM probabilities s_k ∈ [0, 1] (§2.4), α ∈ (0, 5],
// η ∈ (0, 1). A step is *correct* when s_j ≥ η: the PRM itself rates it at or above the threshold, so
// Clip gives it no penalty — exactly the kind of step Gao et al.'s policy learned to repeat. We append
// a duplicate of a correct step j (same score s_j) to the end of the response and check:
//   * Clip, Delta (last step kept), Clip-Delta (both last-step rules): learned return does not increase;
//   * Raw: learned return increases by α·s_j ≥ α·η > 0.
// Why this one: the exploit is "more steps the PRM likes → more reward"; the property says the reward
// cannot be raised by adding a step whose only merit is that the PRM likes it. Delta with last step
// zeroed (option A) is *not* in the list: its return ρ_1 − ρ_K rises when the appended step scores
// below the old last step — a real weakness of option A shown by Delta_option_A_can_be_farmed below.
using FsCheck;
using FsCheck.Fluent;
using ReasonRL.Rewards.Shaping;

namespace ReasonRL.Rewards.Tests;

public sealed class ShapingPropertyTests
{
    private const int Cases = 10_000;

    // Sums of ≤ 60 terms of magnitude ≤ 10: rounding stays below 1e-12 (60·10·2⁻⁵²·few ≈ 1e-12 scale),
    // so the named tolerance is that bound, not a loosening.
    private const double SumTolerance = 1e-12;

    private static Config Config => Config.QuickThrowOnFailure.WithMaxTest(Cases).WithQuietOnSuccess(true);

    /// <summary>A random case: scores in [lo, hi], 0..60 steps, α ∈ (0, 5], η ∈ (0, 1).</summary>
    public sealed record Case(double[] Scores, double Alpha, double Eta)
    {
        public override string ToString() => $"s=[{string.Join(", ", Scores)}] α={Alpha} η={Eta}";
    }

    private static Gen<double> Uniform(double lo, double hi) =>
        Gen.Choose(0, 1_000_000).Select(i => lo + (hi - lo) * i / 1_000_000.0);

    private static Arbitrary<Case> Cases01(int minSteps = 0) =>
        (from k in Gen.Choose(minSteps, 60)
         from s in Gen.ArrayOf(Uniform(0, 1), k)
         from a in Uniform(0.001, 5)
         from e in Uniform(0.001, 0.999)
         select new Case(s, a, e)).ToArbitrary();

    private static void Check<T>(Arbitrary<T> arb, Func<T, bool> property) =>
        Prop.ForAll(arb, property).Check(Config);

    [Fact]
    public void Every_property_here_runs_ten_thousand_cases()
    {
        // The acceptance bar is ≥ 10,000 random cases per property: count what Config really runs.
        var count = 0;
        Check(Cases01(), _ => { count++; return true; });
        Assert.Equal(Cases, count);
        Assert.True(Cases >= 10_000);
    }

    [Fact]
    public void Clip_learned_return_is_never_positive()
    {
        // Any real scores, not only probabilities: the bound needs nothing but α ≥ 0.
        var arb = (from k in Gen.Choose(0, 60)
                   from s in Gen.ArrayOf(Uniform(-3, 3), k)
                   from a in Uniform(0, 5)
                   from e in Uniform(-1, 2)
                   select new Case(s, a, e)).ToArbitrary();
        Check(arb, c => StepShaping.LearnedReturn(StepShaping.Clip(c.Scores, c.Alpha, c.Eta)) <= 0.0);
    }

    [Fact]
    public void ClipDelta_learned_return_is_never_positive_and_equals_c1()
    {
        Check(Cases01(), c =>
        {
            var learned = StepShaping.LearnedReturn(StepShaping.ClipDelta(c.Scores, c.Alpha, c.Eta, DeltaLastStep.Keep));
            var c1 = c.Scores.Length == 0 ? 0.0 : Math.Min(c.Alpha * (c.Scores[0] - c.Eta), 0.0);
            return learned <= SumTolerance && Math.Abs(learned - c1) <= SumTolerance;
        });
    }

    [Fact]
    public void ClipDelta_option_A_telescopes_to_c1_minus_cK()
    {
        Check(Cases01(minSteps: 1), c =>
        {
            var clipped = StepShaping.Clip(c.Scores, c.Alpha, c.Eta);
            var learned = StepShaping.LearnedReturn(StepShaping.ClipDelta(c.Scores, c.Alpha, c.Eta, DeltaLastStep.Zero));
            return Math.Abs(learned - (clipped[0] - clipped[^1])) <= SumTolerance;
        });
    }

    [Fact]
    public void Delta_learned_return_equals_the_first_steps_scaled_score()
    {
        // Telescoping (§3.2, option B): Σ_k d_k = ρ_1 = α·s_1, whatever K.
        var arb = (from k in Gen.Choose(1, 60)
                   from s in Gen.ArrayOf(Uniform(-2, 2), k)
                   from a in Uniform(0, 5)
                   select new Case(s, a, 0)).ToArbitrary();
        Check(arb, c => Math.Abs(StepShaping.LearnedReturn(StepShaping.Delta(c.Scores, c.Alpha, DeltaLastStep.Keep)) - c.Alpha * c.Scores[0]) <= SumTolerance);
    }

    /// <summary>A case plus the index of a correct step (s_j ≥ η) to duplicate at the end.</summary>
    public sealed record HackCase(double[] Scores, double Alpha, double Eta, int Correct)
    {
        public double[] WithDuplicate() => [.. Scores, Scores[Correct]];

        public override string ToString() => $"s=[{string.Join(", ", Scores)}] α={Alpha} η={Eta} j={Correct}";
    }

    private static Arbitrary<HackCase> HackCases() =>
        (from c in Cases01(minSteps: 1).Generator
         from j in Gen.Choose(0, c.Scores.Length - 1)
         from u in Uniform(0, 1)
         select MakeCorrect(c, j, u)).ToArbitrary();

    // Force step j to be correct: s_j = η + u·(1 − η) ∈ [η, 1].
    private static HackCase MakeCorrect(Case c, int j, double u)
    {
        var s = (double[])c.Scores.Clone();
        if (s[j] < c.Eta) s[j] = c.Eta + u * (1 - c.Eta);
        return new HackCase(s, c.Alpha, c.Eta, j);
    }

    private static double Learned(double[] s, HackCase c, ShapingKind kind, DeltaLastStep last = DeltaLastStep.Keep) =>
        StepShaping.LearnedReturn(StepShaping.Shape(s, new ShapingOptions(kind, c.Alpha, c.Eta, last)));

    [Fact]
    public void Duplicating_a_correct_step_never_raises_Clip_Delta_or_ClipDelta()
    {
        Check(HackCases(), c =>
        {
            var hacked = c.WithDuplicate();
            return Learned(hacked, c, ShapingKind.Clip) <= Learned(c.Scores, c, ShapingKind.Clip) + SumTolerance
                && Learned(hacked, c, ShapingKind.Delta) <= Learned(c.Scores, c, ShapingKind.Delta) + SumTolerance
                && Learned(hacked, c, ShapingKind.ClipDelta) <= Learned(c.Scores, c, ShapingKind.ClipDelta) + SumTolerance
                && Learned(hacked, c, ShapingKind.ClipDelta, DeltaLastStep.Zero) <= Learned(c.Scores, c, ShapingKind.ClipDelta, DeltaLastStep.Zero) + SumTolerance;
        });
    }

    [Fact]
    public void Duplicating_a_correct_step_raises_Raw_by_alpha_times_its_score()
    {
        Check(HackCases(), c =>
        {
            var gain = Learned(c.WithDuplicate(), c, ShapingKind.Raw) - Learned(c.Scores, c, ShapingKind.Raw);
            return gain > 0 && Math.Abs(gain - c.Alpha * c.Scores[c.Correct]) <= SumTolerance;
        });
    }

    [Fact]
    public void Delta_option_A_can_be_farmed()
    {
        // s = [0.6, 0.9], η = 0.5: step 1 is correct. Option A: 0.6 − 0.9 = −0.3; after appending a copy
        // of step 1 it is 0.6 − 0.6 = 0. The property above therefore holds only for option B (Keep).
        double[] s = [0.6, 0.9];
        var before = StepShaping.LearnedReturn(StepShaping.Delta(s, 1.0, DeltaLastStep.Zero));
        var after = StepShaping.LearnedReturn(StepShaping.Delta([0.6, 0.9, 0.6], 1.0, DeltaLastStep.Zero));
        Assert.True(after > before + 0.29, $"before {before}, after {after}");
    }

    [Fact]
    public void Inserting_any_step_after_the_first_leaves_Delta_and_ClipDelta_returns_unchanged()
    {
        // Stronger than the duplicate property for option B: total-sum invariance under arbitrary insertions (§3.5).
        var arb = (from c in Cases01(minSteps: 1).Generator
                   from at in Gen.Choose(1, c.Scores.Length)
                   from x in Uniform(0, 1)
                   select (c, at, x)).ToArbitrary();
        Check(arb, t =>
        {
            var (c, at, x) = t;
            var inserted = c.Scores.Take(at).Append(x).Concat(c.Scores.Skip(at)).ToArray();
            var hc = new HackCase(c.Scores, c.Alpha, c.Eta, 0);
            return Math.Abs(Learned(inserted, hc, ShapingKind.Delta) - Learned(c.Scores, hc, ShapingKind.Delta)) <= SumTolerance
                && Math.Abs(Learned(inserted, hc, ShapingKind.ClipDelta) - Learned(c.Scores, hc, ShapingKind.ClipDelta)) <= SumTolerance;
        });
    }

    [Fact]
    public void MinForm_weights_sum_to_one_and_return_lies_between_min_and_max()
    {
        var arb = (from k in Gen.Choose(1, 60)
                   from s in Gen.ArrayOf(Uniform(-1, 1), k)
                   from t in Uniform(0.01, 2)
                   select (s, t)).ToArbitrary();
        Check(arb, p =>
        {
            var (s, t) = p;
            var w = StepShaping.SoftMinWeights(s, t);
            var ret = StepShaping.LearnedReturn(StepShaping.MinForm(s, 1.0, t));
            return Math.Abs(w.Sum() - 1.0) <= SumTolerance
                && ret >= s.Min() - SumTolerance && ret <= s.Max() + SumTolerance;
        });
    }
}
