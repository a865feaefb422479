using System.Globalization;
using System.Text;

namespace NoetherTheory.Benchmarks;

/// <summary>A Markdown pipe table with padded columns: readable in a terminal and pasted as-is into the README.</summary>
internal sealed class TextTable(params string[] header)
{
    private readonly List<string[]> _rows = [];

    public void Add(params string[] cells)
    {
        if (cells.Length != header.Length)
            throw new ArgumentException($"a row has {cells.Length} cells, the header {header.Length}.", nameof(cells));
        _rows.Add(cells);
    }

    public override string ToString()
    {
        var widths = header.Select((h, j) => _rows.Select(r => r[j].Length).Prepend(h.Length).Max()).ToArray();
        var sb = new StringBuilder();
        void Line(IEnumerable<string> cells) =>
            sb.Append("| ").AppendJoin(" | ", cells.Select((c, j) => j == 0 ? c.PadRight(widths[j]) : c.PadLeft(widths[j]))).AppendLine(" |");
        Line(header);
        sb.Append('|').AppendJoin('|', widths.Select((w, j) => j == 0 ? new string('-', w + 2) : new string('-', w + 1) + ":")).AppendLine("|");
        foreach (var r in _rows) Line(r);
        return sb.ToString();
    }
}

/// <summary>Number formatting for the benchmark tables (invariant culture throughout).</summary>
internal static class Fmt
{
    /// <summary>A duration with a unit that keeps 3 significant digits: 12.3 ns, 4.56 µs, 789 ms, 12.3 s.</summary>
    public static string Seconds(double s)
    {
        if (!double.IsFinite(s)) return "—";
        if (s != 0)
        {
            double unitOfThirdDigit = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(s))) - 2);
            s = Math.Round(s / unitOfThirdDigit) * unitOfThirdDigit;   // 3 significant digits first: 0.9996 s prints as "1.00 s"
        }
        var (value, unit) = Math.Abs(s) switch
        {
            >= 1 => (s, "s"),
            >= 1e-3 => (s * 1e3, "ms"),
            >= 1e-6 => (s * 1e6, "µs"),
            _ => (s * 1e9, "ns"),
        };
        return Significant(value) + " " + unit;
    }

    /// <summary>A ratio as "23.4×".</summary>
    public static string Ratio(double r) => double.IsFinite(r) ? Significant(r) + "×" : "—";

    /// <summary>A ratio that may be far below 1, with three significant digits: "0.00270×", "0.512×", "4.20×", "123×".</summary>
    public static string SmallRatio(double r)
    {
        if (!double.IsFinite(r)) return "—";
        if (r == 0 || Math.Abs(r) >= 1) return Ratio(r);
        int decimals = Math.Min(2 - (int)Math.Floor(Math.Log10(Math.Abs(r))), 15);
        return r.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) + "×";
    }

    /// <summary>A rate with thousands separators: "12,345".</summary>
    public static string Rate(double r) => double.IsFinite(r) ? r.ToString(r >= 100 ? "N0" : "0.##", CultureInfo.InvariantCulture) : "—";

    /// <summary>A relative difference such as "3.1e-15".</summary>
    public static string Small(double x) => double.IsFinite(x) ? x.ToString("0.0e+0", CultureInfo.InvariantCulture) : "—";

    /// <summary>A value with three significant digits (no exponent for 0.001 ≤ |x| &lt; 1e6).</summary>
    public static string Significant(double x)
    {
        double a = Math.Abs(x);
        string format = a >= 100 ? "0" : a >= 10 ? "0.0" : a >= 1 ? "0.00" : "0.000";
        return x.ToString(format, CultureInfo.InvariantCulture);
    }

    /// <summary>"✓ ≥ 20×" when met, "✗ ≥ 20×" when missed, "—" when not measured.</summary>
    public static string Target(bool? met, string target) => met switch
    {
        true => "✓ " + target,
        false => "✗ " + target,
        null => "— " + target,
    };
}
