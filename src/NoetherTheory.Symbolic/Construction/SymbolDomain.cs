using System.Globalization;

namespace NoetherTheory.Symbolic;

/// <summary>
/// A real interval a symbol is declared to lie in, e.g. 0 ≤ β &lt; 1 (<c>[0, 1)</c>) or η &gt; 0 (<c>(0, inf)</c>).
/// Used where a choice of values is free (zero-test sample points and witnesses, the sign of a display factor); it never
/// changes what an identity means.
/// </summary>
/// <param name="Lower">Lower end, or null for −∞.</param>
/// <param name="LowerOpen">True when the lower end is excluded.</param>
/// <param name="Upper">Upper end, or null for +∞.</param>
/// <param name="UpperOpen">True when the upper end is excluded.</param>
public sealed record SymbolDomain(Rational? Lower, bool LowerOpen, Rational? Upper, bool UpperOpen)
{
    /// <summary>The whole real line.</summary>
    public static SymbolDomain Real { get; } = new(null, true, null, true);

    /// <summary>True when the interval has no points.</summary>
    public bool IsEmpty =>
        Lower is { } a && Upper is { } b && (a > b || (a == b && (LowerOpen || UpperOpen)));

    /// <summary>Whether <paramref name="x"/> lies in the interval.</summary>
    public bool Contains(Rational x) =>
        (Lower is not { } a || (LowerOpen ? x > a : x >= a)) && (Upper is not { } b || (UpperOpen ? x < b : x <= b));

    /// <summary>
    /// The <paramref name="index"/>-th of <paramref name="count"/> distinct exact points inside the interval (index in
    /// [0, count)): an injective map, so a sample set of integers keeps its size (the Schwartz–Zippel bound is unchanged).
    /// Bounded intervals are split evenly (end points only when closed); half-lines step by 1 from the end.
    /// </summary>
    public Rational Point(long index, long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        switch (Lower, Upper)
        {
            case ({ } a, { } b):
            {
                // (index + shift)/(slots) ∈ [0, 1], open ends excluded.
                long shift = LowerOpen ? 1 : 0;
                long slots = count - 1 + shift + (UpperOpen ? 1 : 0);
                if (slots == 0) return a;
                return a + ((b - a) * new Rational(index + shift, slots));
            }
            case ({ } a, null): return a + (index + (LowerOpen ? 1 : 0));
            case (null, { } b): return b - (index + (UpperOpen ? 1 : 0));
            default: return index - (count / 2);
        }
    }

    /// <summary>A floating-point point inside the interval from a uniform u ∈ [0, 1): bounded intervals uniformly,
    /// half-lines within 2 of their end (the scale of the zero test's float points).</summary>
    public double Point(double u)
    {
        const double Span = 2;
        double lo = Lower?.ToDouble() ?? double.NegativeInfinity, hi = Upper?.ToDouble() ?? double.PositiveInfinity;
        if (double.IsFinite(lo) && double.IsFinite(hi)) return lo + ((hi - lo) * (0.05 + (0.9 * u)));
        if (double.IsFinite(lo)) return lo + (Span * (0.05 + (0.95 * u)));
        if (double.IsFinite(hi)) return hi - (Span * (0.05 + (0.95 * u)));
        return (2 * Span * u) - Span;
    }

    /// <summary>Interval notation: <c>[0, 1)</c>, <c>(0, inf)</c>.</summary>
    public override string ToString() =>
        (LowerOpen ? "(" : "[") + (Lower?.ToString() ?? "-inf") + ", " + (Upper?.ToString() ?? "inf") + (UpperOpen ? ")" : "]");

    /// <summary>Parses interval notation <c>[a, b)</c>, <c>(0, inf)</c>, <c>[0, inf)</c>, <c>(-inf, inf)</c> (ends are
    /// exact rationals such as <c>0</c>, <c>1/2</c>, <c>0.9</c>; an infinite end must be open).</summary>
    /// <returns>False with a reason when the text is not an interval or the interval is empty.</returns>
    public static bool TryParse(string text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SymbolDomain? domain,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        domain = null;
        var t = text.Trim();
        if (t.Length < 5 || (t[0] != '[' && t[0] != '(') || (t[^1] != ']' && t[^1] != ')'))
        {
            error = $"'{text}' is not an interval; write e.g. \"[0, 1)\" or \"(0, inf)\"";
            return false;
        }
        var parts = t[1..^1].Split(',');
        if (parts.Length != 2)
        {
            error = $"'{text}' needs two ends separated by one comma, e.g. \"[0, 1)\"";
            return false;
        }
        bool lowerOpen = t[0] == '(', upperOpen = t[^1] == ')';
        if (!End(parts[0], -1, lowerOpen, out var lower, out var lowerError) || !End(parts[1], +1, upperOpen, out var upper, out lowerError))
        {
            error = lowerError ?? $"'{text}' is not an interval";
            return false;
        }
        var d = new SymbolDomain(lower, lowerOpen, upper, upperOpen);
        if (d.IsEmpty)
        {
            error = $"the interval '{text}' is empty";
            return false;
        }
        domain = d;
        error = null;
        return true;
    }

    private static bool End(string part, int side, bool open, out Rational? value, out string? error)
    {
        var p = part.Trim();
        value = null;
        error = null;
        if (p is "inf" or "+inf" or "-inf" or "∞" or "+∞" or "-∞" or "−∞")
        {
            bool negative = p[0] is '-' or '−';
            if ((side < 0) != negative) { error = $"'{p}' cannot be the {(side < 0 ? "lower" : "upper")} end"; return false; }
            if (!open) { error = "an infinite end must be open, e.g. \"[0, inf)\""; return false; }
            return true;
        }
        if (!Rational.TryParse(p, out var r)) { error = $"'{p}' is not an exact number (write 0, 1, 1/2, 0.9 or inf)"; return false; }
        value = r;
        return true;
    }

    /// <summary>The text <see cref="ToString"/> writes, as an inequality in <paramref name="name"/>: <c>0 ≤ beta &lt; 1</c>.</summary>
    public string Describe(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string lower = Lower is { } a ? a.ToString() + (LowerOpen ? " < " : " ≤ ") : "";
        string upper = Upper is { } b ? (UpperOpen ? " < " : " ≤ ") + b.ToString() : "";
        if (Lower is null && Upper is null) return name + " real";
        return string.Create(CultureInfo.InvariantCulture, $"{lower}{name}{upper}");
    }
}
