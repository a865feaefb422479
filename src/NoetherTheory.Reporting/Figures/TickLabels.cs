using System.Globalization;
using System.Text;

namespace NoetherTheory.Reporting.Figures;

/// <summary>Culture-invariant tick labels: "0.5", "−2" (true minus sign), "3×10⁻⁵", and "10⁻³" for decades.</summary>
internal static class TickLabels
{
    private const string Superscripts = "⁰¹²³⁴⁵⁶⁷⁸⁹";

    // Outside [1e-4, 1e6) plain decimals get long ("0.00001", "10000000"): switch to scientific there, as matplotlib does.
    private const double SmallestPlain = 1e-4;
    private const double LargestPlain = 1e6;

    // Tick values are computed by repeated addition/multiplication; treat mantissas within this of 1 as exactly 1.
    private const double DecadeSnap = 1e-9;

    /// <summary>Label for a linear axis.</summary>
    public static string Linear(double value)
    {
        if (value == 0 || !double.IsFinite(value))
            return value == 0 ? "0" : value.ToString(CultureInfo.InvariantCulture);
        double magnitude = Math.Abs(value);
        if (magnitude >= SmallestPlain && magnitude < LargestPlain)
            return Minus(value.ToString("G6", CultureInfo.InvariantCulture));
        return Scientific(value);
    }

    // An axis spanning at least this many decades labels its decades as 10ⁿ.
    private const double PowerLabelDecades = 2.5;

    /// <summary>Label for a logarithmic axis showing [<paramref name="axisMinimum"/>, <paramref name="axisMaximum"/>]:
    /// exact decades as 10ⁿ when the axis spans several decades, otherwise everything like <see cref="Linear"/>.</summary>
    public static string Log(double value, double axisMinimum, double axisMaximum)
    {
        bool wide = axisMinimum > 0 && axisMaximum > axisMinimum && Math.Log10(axisMaximum / axisMinimum) >= PowerLabelDecades;
        return wide ? Log(value) : Linear(value);
    }

    /// <summary>Label for a logarithmic axis: exact decades as 10ⁿ, others like <see cref="Linear"/>.</summary>
    public static string Log(double value)
    {
        if (!(value > 0) || !double.IsFinite(value))
            return Linear(value);
        int exponent = (int)Math.Round(Math.Log10(value));
        if (Math.Abs((value / Math.Pow(10, exponent)) - 1) < DecadeSnap)
            return "10" + Superscript(exponent);
        return Linear(value);
    }

    private static string Scientific(double value)
    {
        int exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        double mantissa = value / Math.Pow(10, exponent);
        if (Math.Abs(Math.Abs(mantissa) - 1) < DecadeSnap)
            return (mantissa < 0 ? "−" : string.Empty) + "10" + Superscript(exponent);
        return Minus(mantissa.ToString("G3", CultureInfo.InvariantCulture)) + "×10" + Superscript(exponent);
    }

    /// <summary>An integer in Unicode superscript digits, with a superscript minus.</summary>
    public static string Superscript(int exponent)
    {
        var sb = new StringBuilder();
        if (exponent < 0)
            sb.Append('⁻');
        foreach (char c in Math.Abs((long)exponent).ToString(CultureInfo.InvariantCulture))
            sb.Append(Superscripts[c - '0']);
        return sb.ToString();
    }

    private static string Minus(string text) => text.StartsWith('-') ? "−" + text[1..] : text;
}
