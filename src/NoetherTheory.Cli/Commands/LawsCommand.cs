using System.CommandLine;
using System.Globalization;
using NoetherTheory.Core.IO;
using NoetherTheory.Laws;
using NoetherTheory.Laws.Dynamics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Cli.Commands;

/// <summary>
/// <c>noether laws --model linear:2,3,2 | relu:2,3,2[,bias] | &lt;catalog model&gt; | --potential EXPR | --components "E1; E2"
/// [--degree k] [--format text|json] [--out file]</c>: the conservation laws of gradient flow discovered for a model —
/// how many (D − dim Lie, with its verdict) and which polynomials of degree ≤ k (each checked by the zero test).
/// </summary>
internal static class LawsCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string?>("--model") { Description = "linear:n0,n1,…,nL | relu:n0,…,nL[,bias] | a catalog model id with a polynomial potential (theory/catalog/models)" };
        var potential = new Option<string?>("--potential") { Description = "A polynomial loss; every symbol is a parameter (φ = the loss itself: the laws of this one loss)" };
        var components = new Option<string?>("--components") { Description = "The components of φ, separated by ';', e.g. \"a*c; b*c\"; every symbol is a parameter" };
        var degree = new Option<int>("--degree") { Description = $"Seek polynomial laws of degree 1 … k (1 ≤ k ≤ {LawOptions.MaxDegree})", DefaultValueFactory = _ => 2 };
        var format = new Option<OutputFormat>("--format") { Description = "text (default) or json (noether.laws/1)", DefaultValueFactory = _ => OutputFormat.Text };
        var catalogDir = new Option<DirectoryInfo?>("--catalog") { Description = "Catalog folder (default: theory/catalog)" };
        var output = new Option<FileInfo?>("--out") { Description = "Also write the output to this file" };
        var flowOption = LawsFlowOutput.CreateOption();
        var command = new Command("laws", "Discover the conservation laws of gradient flow of a model: their number D − dim Lie(∇φ) (Proven or with a bound) and the polynomial laws up to a degree.")
        {
            model, potential, components, degree, format, catalogDir, output, flowOption,
        };
        command.SetAction(parse =>
        {
            var phi = Factorisation(parse.GetValue(model), parse.GetValue(potential), parse.GetValue(components), parse.GetValue(catalogDir)?.FullName);
            int k = parse.GetValue(degree);
            if (k is < 1 or > LawOptions.MaxDegree)
                throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--degree {k}: give a degree between 1 and {LawOptions.MaxDegree} (2 finds the quadratic laws of networks)."));
            var f = parse.GetValue(format);
            if (f == OutputFormat.Latex)
                throw new UsageException("--format latex: laws prints text or json.");
            var flow = LawsFlowOutput.ParseFlow(parse.GetValue(flowOption));
            var result = ConservationLaws.Discover(phi, new LawOptions { Degree = k });
            // Under --flow momentum|weight-decay the laws found are carried into that dynamics: verdicts and numeric checks.
            var dynamics = flow == Flow.Gradient ? null : LawsFlowOutput.Run(phi, result.Laws, flow);
            string text;
            if (f == OutputFormat.Json)
            {
                text = LawsFormatter.ToJson(result);
                if (dynamics is not null)
                {
                    var node = System.Text.Json.Nodes.JsonNode.Parse(text)!.AsObject();
                    node["flow"] = LawsFlowOutput.ToJson(dynamics);
                    text = node.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
                }
            }
            else
            {
                text = LawsFormatter.ToText(result);
                if (dynamics is not null)
                {
                    using var writer = new StringWriter(CultureInfo.InvariantCulture);
                    LawsFlowOutput.WriteText(writer, dynamics);
                    text = text.TrimEnd() + Environment.NewLine + Environment.NewLine + writer.ToString().TrimEnd();
                }
            }
            context.Out.WriteLine(text);
            if (parse.GetValue(output) is { } file)
                AtomicFile.Write(file.FullName, text);
            bool passed = result.Checks.All(c => c.IsZero) && (dynamics?.AllPassed ?? true);
            return passed ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return command;
    }

    /// <summary>The factorisation named by exactly one of --model, --potential and --components.</summary>
    internal static Factorisation Factorisation(string? model, string? potential, string? components, string? catalogDirectory)
    {
        int given = (model is null ? 0 : 1) + (potential is null ? 0 : 1) + (components is null ? 0 : 1);
        if (given != 1)
            throw new UsageException("laws needs exactly one of --model (linear:2,3,2, relu:2,3,2,bias or a catalog id), --potential and --components; see `noether laws --help`.");
        if (potential is not null)
            return Factorisations.FromExpressions("potential", [Parse(potential, "--potential")]);
        if (components is not null)
        {
            var parts = components.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0) throw new UsageException("--components: give at least one expression, separated by ';'.");
            return Factorisations.FromExpressions("components", [.. parts.Select((p, i) => Parse(p, $"--components (item {i + 1})"))]);
        }
        string m = model!.Trim();
        int colon = m.IndexOf(':', StringComparison.Ordinal);
        string kind = colon < 0 ? "" : m[..colon];
        if (kind is "linear" or "relu")
        {
            var items = m[(colon + 1)..].Split(',', StringSplitOptions.TrimEntries);
            bool bias = kind == "relu" && items.Length > 0 && items[^1] == "bias";
            var widthItems = bias ? items[..^1] : items;
            var widths = new int[widthItems.Length];
            for (int i = 0; i < widthItems.Length; i++)
                if (!int.TryParse(widthItems[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] < 1)
                    throw new UsageException($"--model {m}: width {i + 1} ('{widthItems[i]}') is not a positive integer; write {kind}:n0,n1,…,nL{(kind == "relu" ? "[,bias]" : "")}, e.g. {kind}:2,3,2.");
            if (widths.Length < 2)
                throw new UsageException($"--model {m}: give at least two widths (input and output), e.g. {kind}:2,3,2.");
            return kind == "linear" ? Factorisations.Linear(widths) : Factorisations.Relu(widths, bias);
        }
        var catalog = DeriveCommand.LoadCatalog(catalogDirectory ?? RepositoryLayout.Catalog());
        var definition = catalog.Models.FirstOrDefault(x => x.Id == m)
            ?? throw new UsageException($"--model '{m}': not linear:…, relu:… or a catalog model; the catalog has {string.Join(", ", catalog.Models.Select(x => x.Id))}.");
        return Factorisations.FromCatalogModel(definition);
    }

    private static Expr Parse(string text, string where)
    {
        if (Expr.TryParse(text, out var e, out var error)) return e!;
        throw new UsageException($"{where}: {error}");
    }
}
