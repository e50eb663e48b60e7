// Test helpers for the kernel tests: seeded random tensors, float↔double conversion, the
// comparison-table assertion, and a double-precision central finite-difference gradient.
using ReasonRL.Tensors;
using Xunit;

namespace ReasonRL.Tensors.Tests;

internal static class TestUtil
{
    public static float[] RandomFloats(Random rng, int n, float scale = 1f)
    {
        var x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float)(rng.NextDouble() * 2 - 1) * scale;
        return x;
    }

    public static double[] RandomDoubles(Random rng, int n, double scale = 1)
    {
        var x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (rng.NextDouble() * 2 - 1) * scale;
        return x;
    }

    public static double[] ToDouble(ReadOnlySpan<float> x)
    {
        var d = new double[x.Length];
        for (int i = 0; i < x.Length; i++) d[i] = x[i];
        return d;
    }

    /// <summary>Fails with the rendered table when any row failed.</summary>
    public static void AssertAllOk(TensorComparison cmp, string context)
    {
        Assert.True(cmp.Rows.Count > 0, $"{context}: nothing was compared");
        Assert.True(cmp.AllOk, $"{context}\n{cmp.Render()}");
    }

    /// <summary>Central differences in double (see <see cref="FiniteDifference.Central"/>).</summary>
    public static double[] NumericGradient(double[] x, Func<double> loss, double h = 1e-6) => ReasonRL.Tensors.FiniteDifference.Central(x, loss, h);

    public static double WeightedSum(ReadOnlySpan<double> y, ReadOnlySpan<double> w)
    {
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += y[i] * w[i];
        return s;
    }

    // Tolerances, with where each number comes from:
    /// <summary>Double FD vs analytic: h = 1e-6 gives truncation ~1e-12·f''' and round-off ~1e-16/1e-6 = 1e-10
    /// per unit of loss; 1e-6 absolute + 1e-5 relative leaves two orders of margin.</summary>
    public static readonly Tolerance FiniteDifference = new("fd-double", 1e-6, 1e-5);

    /// <summary>Fast float kernel vs double reference on O(1) data: float epsilon 1.2e-7 times reductions
    /// of up to a few hundred terms → ~1e-5; 2e-5 absolute + 1e-4 relative.</summary>
    public static readonly Tolerance FloatKernel = new("float-vs-double", 2e-5, 1e-4);

    /// <summary>Float GEMM vs double-accumulated reference: error grows ~√K·eps·|a||b|; with |a|,|b| ≤ 1 and
    /// K ≤ 600: ~√600·6e-8·K/√K... bounded by K·eps = 7e-5; we use 1e-4 absolute + 1e-4 relative.</summary>
    public static readonly Tolerance Gemm = new("gemm-float", 1e-4, 1e-4);
}
