// End-to-end gradient checks of the PPO objectives through the model glue (SequenceBatch row mapping,
// scatter of ∂L/∂logπ and ∂L/∂H, critic head → backbone): the analytic directional derivative g·d of
// the policy objective (clipped surrogate + entropy bonus + k3 KL-in-loss) and of the clipped value
// loss equals the central finite difference (L(θ+εd) − L(θ−εd))/2ε along a random direction d.
// The forward runs in float, so ε = 1e-3 on a peaked (std 0.5) init and the tolerance is 2% (+1e-4;
// observed ≤ 0.5%); the pure loss functions have exact double-precision finite-difference tests in LossTests.
using ReasonRL.Models;
using ReasonRL.Tensors;
using ReasonRL.Training.Ppo;
using Xunit;

namespace ReasonRL.Training.Tests.Ppo;

public sealed class PpoGradientTests
{
    private static readonly int[][] Prompts = [[1, 4, 5], [1, 5], [1, 4, 4, 5, 6]];
    private static readonly int[][] Responses = [[4, 5, 2], [5], [4, 6, 5, 5, 2]];

    private static readonly PpoOptions Options = new()
    {
        EntropyCoef = 1.0, KlPlacement = KlPlacement.InLoss, KlEstimator = KlEstimator.K3, ValueClip = 0.2, ValueLossCoef = 0.7,
        Aggregation = LossAggregation.SeqMeanTokenMean,
    };

    private static double[] Noise(Random rng, bool[] mask, double scale)
    {
        var x = new double[mask.Length];
        for (int i = 0; i < x.Length; i++) if (mask[i]) x[i] = scale * (2 * rng.NextDouble() - 1);
        return x;
    }

    private static float[] Direction(Random rng, long length)
    {
        var d = new float[length];
        for (int i = 0; i < d.Length; i++) d[i] = (float)(2 * rng.NextDouble() - 1);
        return d;
    }

    private static void Axpy(NativeSlab slab, float[] d, float a)
    {
        var p = slab.Range(0, (int)slab.Length);
        for (int i = 0; i < d.Length; i++) p[i] += a * d[i];
    }

    private static double Dot(NativeSlab slab, float[] d)
    {
        var g = slab.Range(0, (int)slab.Length);
        double s = 0;
        for (int i = 0; i < d.Length; i++) s += (double)g[i] * d[i];
        return s;
    }

    [Theory]
    [InlineData("surrogate")]
    [InlineData("entropy")]
    [InlineData("kl")]
    [InlineData("all")]
    public void PolicyObjectiveGradientMatchesFiniteDifferences(string terms)
    {
        bool surrogate = terms is "surrogate" or "all";
        var options = Options with
        {
            EntropyCoef = terms switch { "entropy" => 10.0, "all" => 1.0, _ => 0.0 },   // H is near its maximum at init: a large c makes its term measurable
            KlPlacement = terms is "kl" or "all" ? KlPlacement.InLoss : KlPlacement.None,
        };
        using var policy = new Transformer(PpoTestKit.Config, new ManagedGemm());
        policy.InitializeRandom(5, 0.5f);   // peaked next-token distributions: the entropy term has a measurable slope
        var batch = new SequenceBatch(Prompts, Responses, padId: 0);
        var rng = new Random(3);
        var logp = new double[batch.Count * batch.MaxResponse];
        batch.ForwardLogProbs(policy, logp, default);
        var old = Noise(rng, batch.Mask, 0.05);
        var reference = Noise(rng, batch.Mask, 0.4);
        var adv = Noise(rng, batch.Mask, surrogate ? 1.0 : 0.0);
        for (int i = 0; i < logp.Length; i++) { old[i] += logp[i]; reference[i] += logp[i]; }
        var scratch = new PpoLossTerms.Scratch();

        policy.ZeroGradients();
        var result = PpoLossTerms.Policy(policy, batch, old, adv, reference, options, beta: 0.3, scale: 1.0, scratch);
        Assert.Equal(0.0, result.ClipFraction);          // away from the clip kinks
        var d = Direction(rng, policy.Parameters.Length);
        double analytic = Dot(policy.Gradients!, d);

        // Richardson extrapolation of two central differences, (4·D(ε/2) − D(ε)) / 3: its error is O(ε⁴),
        // so the check holds at peaked initialisations where the O(ε²) curvature error of D(ε) alone shows.
        double Central(float eps)
        {
            Axpy(policy.Parameters, d, eps);
            double plus = PpoLossTerms.Policy(policy, batch, old, adv, reference, options, 0.3, 0, scratch).Loss;
            Axpy(policy.Parameters, d, -2 * eps);
            double minus = PpoLossTerms.Policy(policy, batch, old, adv, reference, options, 0.3, 0, scratch).Loss;
            Axpy(policy.Parameters, d, eps);
            return (plus - minus) / (2 * eps);
        }
        double d1 = Central(1e-3f), d2 = Central(5e-4f);
        double fd = (4 * d2 - d1) / 3;
        Assert.True(Math.Abs(analytic) > 1e-2, $"directional derivative {analytic} too small to be a check");
        Assert.True(Math.Abs(fd - analytic) <= 0.02 * Math.Abs(analytic) + 1e-4, $"finite difference {fd} vs analytic {analytic}");
    }

    [Fact]
    public void ClippedValueLossGradientMatchesFiniteDifferences()
    {
        using var policy = new Transformer(PpoTestKit.Config, new ManagedGemm());
        policy.InitializeRandom(6, 0.2f);
        using var critic = Critic.FromPolicy(policy, headSeed: 2);
        critic.Head.InitializeRandom(2, 0.5f);
        var batch = new SequenceBatch(Prompts, Responses, padId: 0);
        var rng = new Random(4);
        var values = new double[batch.Count * batch.MaxResponse];
        critic.Forward(batch, values, new double[batch.Count]);
        // half the tokens sit far outside the ε_v band (clipped branch), half well inside it
        var oldValues = new double[values.Length];
        for (int i = 0; i < values.Length; i++) oldValues[i] = values[i] + (i % 2 == 0 ? 0.5 : 0.01);
        var returns = Noise(rng, batch.Mask, 2.0);
        var scratch = new PpoLossTerms.Scratch();

        critic.Backbone.ZeroGradients();
        critic.Head.Gradients.Clear();
        var vl = PpoLossTerms.Value(critic, batch, oldValues, returns, Options, scale: 1.0, scratch);
        Assert.InRange(vl.ClipFraction, 0.01, 0.99);     // both branches present
        var dBackbone = Direction(rng, critic.Backbone.Parameters.Length);
        var dHead = Direction(rng, critic.Head.Parameters.Length);
        double analytic = Dot(critic.Backbone.Gradients!, dBackbone) + Dot(critic.Head.Gradients, dHead);

        const float eps = 1e-3f;
        Axpy(critic.Backbone.Parameters, dBackbone, eps); Axpy(critic.Head.Parameters, dHead, eps);
        double plus = Options.ValueLossCoef * PpoLossTerms.Value(critic, batch, oldValues, returns, Options, 0, scratch).Loss;
        Axpy(critic.Backbone.Parameters, dBackbone, -2 * eps); Axpy(critic.Head.Parameters, dHead, -2 * eps);
        double minus = Options.ValueLossCoef * PpoLossTerms.Value(critic, batch, oldValues, returns, Options, 0, scratch).Loss;
        double fd = (plus - minus) / (2 * eps);
        Assert.True(Math.Abs(analytic) > 1e-2, $"directional derivative {analytic} too small to be a check");
        Assert.True(Math.Abs(fd - analytic) <= 0.02 * Math.Abs(analytic) + 1e-4, $"finite difference {fd} vs analytic {analytic}");
    }
}
