// FiniteDifference: central-difference gradients in double precision, the check every backward
// kernel, head and loss gets (docs/conventions.md §8). What it is: a verification utility for tests.
// What it is not: an autodiff (it costs two loss evaluations per element).
namespace ReasonRL.Tensors;

/// <summary>Numerical gradients of a scalar loss.</summary>
public static class FiniteDifference
{
    /// <summary>
    /// g_i = (L(x + h e_i) − L(x − h e_i)) / 2h for every element of <paramref name="x"/> (restored after);
    /// truncation error O(h²), round-off O(ε·|L| / h).
    /// </summary>
    public static double[] Central(double[] x, Func<double> loss, double h = 1e-6)
    {
        var g = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double old = x[i];
            x[i] = old + h; double lp = loss();
            x[i] = old - h; double lm = loss();
            x[i] = old;
            g[i] = (lp - lm) / (2 * h);
        }
        return g;
    }
}
