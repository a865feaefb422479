using System.Globalization;

namespace NoetherTheory.Reporting.Pdf;

/// <summary>Culture-invariant number formatting for report text and tables.</summary>
public static class ReportFormat
{
    /// <summary>
    /// <paramref name="value"/> with <paramref name="significantDigits"/> significant digits: plain decimals for
    /// magnitudes in [10⁻³, 10⁵) ("0.5", "1234"), otherwise mantissa and exponent ("1.23e-7", "4e12"); a true minus
    /// sign (U+2212) for negative numbers; "NaN", "∞", "−∞" for the special values.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="significantDigits"/> is outside 1…17.</exception>
    public static string Number(double value, int significantDigits = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(significantDigits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(significantDigits, 17);
        if (double.IsNaN(value))
            return "NaN";
        if (double.IsInfinity(value))
            return value > 0 ? "∞" : "−∞";
        if (value == 0)
            return "0";

        string format = "G" + significantDigits.ToString(CultureInfo.InvariantCulture);
        double magnitude = Math.Abs(value);
        string text;
        if (magnitude is >= 1e-3 and < 1e5)
        {
            text = value.ToString(format, CultureInfo.InvariantCulture);
        }
        else
        {
            int exponent = (int)Math.Floor(Math.Log10(magnitude));
            double mantissa = Math.Round(value / Math.Pow(10, exponent), significantDigits - 1);
            if (Math.Abs(mantissa) >= 10)
            {
                // Rounding carried into a new digit (9.9996 → 10.00): renormalise.
                mantissa /= 10;
                exponent++;
            }

            text = mantissa.ToString(format, CultureInfo.InvariantCulture) + "e" + exponent.ToString(CultureInfo.InvariantCulture);
        }

        return text.StartsWith('-') ? "−" + text[1..] : text;
    }
}
