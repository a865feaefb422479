using System.Globalization;
using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace NoetherTheory.Testing;

/// <summary>Float comparisons for tests, always through a named <see cref="Tolerance"/>.</summary>
public static class NumericAssert
{
    /// <summary>Asserts that <paramref name="actual"/> is within <paramref name="tolerance"/> of <paramref name="expected"/>.</summary>
    public static void Close(double expected, double actual, Tolerance tolerance,
        [CallerArgumentExpression(nameof(actual))] string what = "")
    {
        if (!double.IsFinite(expected) || !double.IsFinite(actual))
        {
            Assert.That(tolerance.Accepts(expected, actual),
                string.Create(CultureInfo.InvariantCulture, $"{what}: expected {expected:R}, got {actual:R}"));
            return;
        }
        double bound = tolerance.Bound(expected, actual);
        double diff = Math.Abs(expected - actual);
        Assert.That(diff, Is.LessThanOrEqualTo(bound),
            string.Create(CultureInfo.InvariantCulture,
                $"{what}: expected {expected:R}, got {actual:R}, |diff| = {diff:E3} > bound {bound:E3}"));
    }

    /// <summary>Element-wise <see cref="Close(double, double, Tolerance, string)"/> with the index in the message.</summary>
    public static void AllClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, Tolerance tolerance,
        [CallerArgumentExpression(nameof(actual))] string what = "")
    {
        Assert.That(actual, Has.Count.EqualTo(expected.Count), $"{what}: length");
        for (int i = 0; i < expected.Count; i++)
            Close(expected[i], actual[i], tolerance, string.Create(CultureInfo.InvariantCulture, $"{what}[{i}]"));
    }
}
