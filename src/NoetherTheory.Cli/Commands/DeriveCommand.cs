using System.CommandLine;
using System.Globalization;
using NoetherTheory.Mechanics;
using NoetherTheory.Core.IO;


namespace NoetherTheory.Cli.Commands;

/// <summary>
/// <c>noether derive --rule &lt;id&gt; --symmetry &lt;id&gt; [--model &lt;id&gt; | --potential "&lt;expr&gt;" | --abstract]</c> and
/// <c>noether derive --all</c>: Lagrangian, equations of motion, Noether charge, charge equation, KSB, with the zero-test
/// verdict of every identity.
/// </summary>
internal static class DeriveCommand
{
    public static Command Create(CliContext context)
    {
        var rule = new Option<string?>("--rule") { Description = "Learning rule id (theory/catalog/rules), e.g. heavy-ball" };
        var symmetry = new Option<string?>("--symmetry") { Description = "Symmetry id (theory/catalog/symmetries), e.g. scale" };
        var model = new Option<string?>("--model") { Description = "Model id (theory/catalog/models), e.g. cosine" };
        var potential = new Option<string?>("--potential") { Description = "A potential in q[0..n-1], e.g. \"(q[0]^2 - q[1]^2)^2\"" };
        var isAbstract = new Option<bool>("--abstract") { Description = "Use an abstract potential V(q) with the symmetry declared" };
        var all = new Option<bool>("--all") { Description = "Derive every rule × symmetry × model in the catalog; exit 1 if any identity fails" };
        var format = new Option<OutputFormat>("--format") { Description = "text (default), latex (a standalone document: article + amsmath, one section per derivation; compiles with pdflatex) or json", DefaultValueFactory = _ => OutputFormat.Text };
        var catalogDir = new Option<DirectoryInfo?>("--catalog") { Description = "Catalog folder (default: theory/catalog)" };
        var output = new Option<FileInfo?>("--out") { Description = "Also write the output to this file" };
        var command = new Command("derive", "Derive the Lagrangian of a learning rule, its Euler–Lagrange equations, Noether charge and charge dynamics.")
        {
            rule, symmetry, model, potential, isAbstract, all, format, catalogDir, output,
        };
        command.SetAction(parse => Run(context, new Request(parse.GetValue(rule), parse.GetValue(symmetry), parse.GetValue(model),
            parse.GetValue(potential), parse.GetValue(isAbstract), parse.GetValue(all), parse.GetValue(format),
            parse.GetValue(catalogDir)?.FullName, parse.GetValue(output)?.FullName)));
        return command;
    }

    private sealed record Request(string? Rule, string? Symmetry, string? Model, string? Potential, bool Abstract, bool All,
        OutputFormat Format, string? CatalogDirectory, string? Output);

    private static int Run(CliContext context, Request r)
    {
        var catalog = LoadCatalog(r.CatalogDirectory ?? RepositoryLayout.Catalog());
        string text;
        bool holds;
        if (r.All)
        {
            if (r.Rule is not null || r.Symmetry is not null || r.Model is not null || r.Potential is not null || r.Abstract)
                throw new UsageException("derive --all takes no --rule, --symmetry or model option.");
            var derivation = Derivation.RunAll(catalog);
            text = r.Format switch
            {
                OutputFormat.Json => DerivationFormatter.ToJson(derivation),
                OutputFormat.Latex => DerivationFormatter.ToLatexDocument(derivation.Results),
                _ => DerivationFormatter.ToText(derivation),
            };
            holds = derivation.AllHold;
            context.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{derivation.Results.Length} derivations, {derivation.CheckCount} identities, {(holds ? "all verified" : "SOME NOT VERIFIED")} in {derivation.Elapsed.TotalSeconds:F2} s"));
        }
        else
        {
            if (r.Rule is null || r.Symmetry is null)
                throw new UsageException("derive needs --rule <id> and --symmetry <id> (or --all); see `noether derive --help`.");
            int modelChoices = (r.Model is null ? 0 : 1) + (r.Potential is null ? 0 : 1) + (r.Abstract ? 1 : 0);
            if (modelChoices > 1)
                throw new UsageException("give at most one of --model, --potential and --abstract.");
            var spec = r.Model is not null ? ModelSpec.FromCatalog(r.Model)
                : r.Potential is not null ? ModelSpec.FromPotential(r.Potential)
                : ModelSpec.Abstract;
            DerivationResult result;
            try
            {
                result = Derivation.Run(catalog, r.Rule, r.Symmetry, spec);
            }
            catch (InvalidPotentialException e)
            {
                throw new UsageException($"--potential: {e.Message}");
            }
            text = r.Format switch
            {
                OutputFormat.Json => DerivationFormatter.ToJson(result),
                OutputFormat.Latex => DerivationFormatter.ToLatexDocument([result]),
                _ => DerivationFormatter.ToText(result),
            };
            holds = result.AllHold;
        }
        context.Out.WriteLine(text);
        if (r.Output is not null)
            AtomicFile.Write(r.Output, text);
        return holds ? ExitCodes.Ok : ExitCodes.CheckFailed;
    }

    /// <summary>Loads the catalog; every error is listed with file:line:column.</summary>
    internal static Catalog LoadCatalog(string directory)
    {
        if (!Directory.Exists(directory))
            throw new UsageException($"catalog folder '{directory}' does not exist (use --catalog or run from the checkout).");
        if (Catalog.TryLoad(directory, LimitOverrides.CatalogMaxDimension(), out var catalog, out var errors))
            return catalog!;
        string list = string.Join("\n", errors.Select(e => "  " + e));
        throw new UsageException("the catalog has errors:\n" + list + LimitOverrides.Hint(list));
    }
}
