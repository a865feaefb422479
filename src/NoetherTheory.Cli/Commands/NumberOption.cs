using System.CommandLine;
using System.Globalization;

namespace NoetherTheory.Cli.Commands;

/// <summary>
/// A floating-point option parsed with the invariant culture and no thousands separators, so <c>--lr 0.1</c> means 0.1
/// on every machine and <c>--lr 0,1</c> is an error (exit 2), never a silent 1.
/// </summary>
internal sealed class NumberOption : Option<double>
{
    public NumberOption(string name) : base(name)
    {
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
                return default;
            string text = result.Tokens[^1].Value;
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
                return value;
            result.AddError($"{name} '{text}' is not a finite number; write it with a dot as the decimal separator (e.g. 0.1 or 1e-3).");
            return default;
        };
    }
}
