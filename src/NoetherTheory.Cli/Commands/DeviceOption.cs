using System.CommandLine;
using System.Globalization;

namespace NoetherTheory.Cli.Commands;

/// <summary><c>--device cpu|cuda|cuda:&lt;i&gt;</c>, checked when the command line is parsed (a bad name is exit 2).</summary>
internal sealed class DeviceOption : Option<string>
{
    public DeviceOption(string description = "cpu, cuda or cuda:<i>") : base("--device")
    {
        Description = description;
        DefaultValueFactory = _ => "cpu";
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
                return "cpu";
            string text = result.Tokens[^1].Value.Trim().ToLowerInvariant();
            bool ok = text is "cpu" or "cuda"
                || (text.StartsWith("cuda:", StringComparison.Ordinal)
                    && int.TryParse(text.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out _));
            if (!ok)
                result.AddError($"--device '{result.Tokens[^1].Value}' is not a device: use cpu, cuda or cuda:<index> (e.g. cuda:0).");
            return text;
        };
    }
}
