// Near: element-wise comparison of double arrays rounded to a number of decimal digits (xunit 2's
// Assert.Equal(double, double, int) semantics per element), naming the first differing index.
using Xunit;

namespace ReasonRL.Training.Tests;

internal static class Near
{
    public static void Equal(IReadOnlyList<double> expected, IReadOnlyList<double> actual, int digits)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            if (Math.Round(expected[i] - actual[i], digits) != 0)
                Assert.Fail($"index {i}: expected {expected[i]:R}, actual {actual[i]:R} (to {digits} digits)");
    }
}
