// AdvantagesReference: the naive scalar loop versions of the estimators in Advantages.cs, written
// straight from the formulas one response at a time (explicit lists of valid indices, O(B²) group
// scans, explicit leave-one-out sums). Tests compare the column-vectorised/grouped versions to these.
// What it is not: for production use (quadratic in group size).
// Reference: docs/reward-methods.md §7.1–7.2.
namespace ReasonRL.Training;

internal static class AdvantagesReference
{
    public static (double[] Advantages, double[] Returns) Gae(double[] r, double[] v, bool[] mask, double[] boot, int b, int t, double gamma, double lambda)
    {
        var adv = new double[b * t];
        var ret = new double[b * t];
        for (int row = 0; row < b; row++)
        {
            var idx = Enumerable.Range(0, t).Select(c => row * t + c).Where(i => mask[i]).ToList();
            for (int k = 0; k < idx.Count; k++)
            {
                // A_k = Σ_{l≥k} (γλ)^{l−k} δ_l, written as an explicit sum.
                double a = 0;
                for (int l = k; l < idx.Count; l++)
                {
                    double vNext = l + 1 < idx.Count ? v[idx[l + 1]] : boot[row];
                    double delta = r[idx[l]] + gamma * vNext - v[idx[l]];
                    a += Math.Pow(gamma * lambda, l - k) * delta;
                }
                adv[idx[k]] = a;
                ret[idx[k]] = a + v[idx[k]];
            }
        }
        return (adv, ret);
    }

    public static double[] Grpo(double[] s, int[] g, double eps)
    {
        var a = new double[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            var members = Enumerable.Range(0, s.Length).Where(j => g[j] == g[i]).Select(j => s[j]).ToArray();
            if (members.Length < 2) continue;
            double mean = members.Average();
            double std = Math.Sqrt(members.Sum(x => (x - mean) * (x - mean)) / (members.Length - 1));
            a[i] = (s[i] - mean) / (std + eps);
        }
        return a;
    }

    public static double[] DrGrpo(double[] s, int[] g)
    {
        var a = new double[s.Length];
        for (int i = 0; i < s.Length; i++)
            a[i] = s[i] - Enumerable.Range(0, s.Length).Where(j => g[j] == g[i]).Average(j => s[j]);
        return a;
    }

    public static double[] Rloo(double[] s, int[] g)
    {
        var a = new double[s.Length];
        for (int i = 0; i < s.Length; i++)
        {
            var others = Enumerable.Range(0, s.Length).Where(j => j != i && g[j] == g[i]).Select(j => s[j]).ToArray();
            a[i] = others.Length == 0 ? 0 : s[i] - others.Average();
        }
        return a;
    }

    public static double[] RewardToGo(double[] r, bool[] mask, int b, int t, double gamma)
    {
        var gOut = new double[b * t];
        for (int row = 0; row < b; row++)
        {
            var idx = Enumerable.Range(0, t).Select(c => row * t + c).Where(i => mask[i]).ToList();
            for (int k = 0; k < idx.Count; k++)
                for (int l = k; l < idx.Count; l++)
                    gOut[idx[k]] += Math.Pow(gamma, l - k) * r[idx[l]];
        }
        return gOut;
    }
}
