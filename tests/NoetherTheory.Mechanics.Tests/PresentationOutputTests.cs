using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics.Tests;

/// <summary>Issue #17: derived laws printed as a researcher writes them, each display form proven equal to the derived
/// one; the glossary; the LaTeX appendix compiles.</summary>
[TestFixture]
public sealed class PresentationOutputTests
{
    private Catalog _catalog = null!;

    [OneTimeSetUp]
    public void LoadCatalog() => _catalog = Catalog.Load(CatalogTests.CatalogDir);

    private DerivationResult Derive(string rule) => Derivation.Run(_catalog, rule, "scale", ModelSpec.Abstract);

    // Machine forms that issue #17 found in the output: double negatives, (β − 1) factors, uncancelled (1 − δ)/(1 − δ),
    // a leading minus on a gain, a fraction printed "/2/(…)".
    private static readonly string[] Unwanted = ["(-(-", "-(-", "- -", "(beta - 1)", "(-beta", "-beta - 1", "/2/(", "(1 - delta)/(1 - delta)", "(delta - 1)"];

    [TestCase("heavy-ball")]
    [TestCase("nesterov")]
    [TestCase("heavy-ball-decoupled")]
    public void Text_HasNoDoubleNegativesOrUncancelledFactors_AndEveryDisplayFormIsProven(string rule)
    {
        var r = Derive(rule);
        string text = DerivationFormatter.ToText(r);
        foreach (var bad in Unwanted)
            Assert.That(text, Does.Not.Contain(bad), $"{rule}: '{bad}' in\n{text}");
        var pr = Presenter.For(r.Rule);
        _ = DerivationFormatter.ToText(r); // fills nothing: the presenter below is a fresh one
        foreach (var e in new[] { r.ModifiedEquation.FirstOrder, r.ModifiedEquation.Mass, r.ModifiedEquation.DampingTime, r.Law!.Green!.Discriminant,
                     r.Adaptive!.GainPersistent, r.Adaptive.Decay, r.Adaptive.SteadyStatePersistent, r.Adaptive.DiscountPerStep })
        {
            var form = pr.Show(e);
            Assert.That(form.Check.Kind, Is.EqualTo(ZeroTestKind.Proven), $"{rule}: {form.Text} vs {e}: {form.Check}");
            Assert.That(ZeroTest.Run(Expr.Parse(form.Text) - e).Kind, Is.EqualTo(ZeroTestKind.Proven), $"{rule}: printed text {form.Text} parses back equal");
        }
        Assert.That(text, Does.Contain("display forms:").And.Not.Contain("not confirmed"));
    }

    [Test]
    public void HeavyBall_PrintsTheResearchersForms()
    {
        string text = DerivationFormatter.ToText(Derive("heavy-ball"));
        Assert.That(text, Does.Contain("modified equation    eta*(1 + beta)*(1 - delta)*qddot/2 + k*q + (1 - beta)*qdot + g(q) = 0"));
        Assert.That(text, Does.Contain("tau = eta*(1 + beta)*(1 - delta)/(2*(1 - beta))"));
        Assert.That(text, Does.Contain("gamma² − omega² = ((1 - beta)^2 - 4*eta*k*(1 + beta)*(1 - delta))/(eta^2*(1 + beta)^2*(1 - delta)^2)"));
        Assert.That(text, Does.Contain("exp(-4*k*(t - u)/(1 - beta))"));
        Assert.That(text, Does.Contain("persistent eta*s*(1 + beta)*(1 - delta)/(2*k*(1 - beta)^2); white noise eta*s*(1 - delta)/(2*k*(1 - beta))"));
        Assert.That(text, Does.Contain("rho_eff = 1 - 4*eta*k*(1 - delta)/(1 - beta)"));
        Assert.That(text, Does.Contain("Γ = 2*eta*(1 + beta)*(1 - delta)/(1 - beta)^3"));
    }

    [Test]
    public void Overdamped_GivesTheFirstOrderSourceAndNeuralMechanicsLaw()
    {
        var r = Derive("heavy-ball");
        string line = DerivationFormatter.Overdamped(r.Law!, r.Rule, Presenter.For(r.Rule));
        // 2m/mu0 = eta(1 + beta)(1 - delta)/(1 - beta); with qdot = -g/mu0 the integrand has (1 - beta)^3; at beta = delta = 0: eta·|g_A|².
        Assert.That(line, Does.Contain("x(t) = x(0)·exp(-2*k*t/(1 - beta))"));
        Assert.That(line, Does.Contain("(1 - beta)^3"));
        Assert.That(line, Does.Contain("at beta = delta = 0, plain SGD (t = n·eta) this is Neural Mechanics' law x(t) = x(0)·exp(-2*k*t) + ∫₀ᵗ eta*exp(-2*k*(t - u))*(g[0]^2 + g[1]^2) du"));
        var o = DerivationFormatter.OverdampedLimit(r.Law!, r.Rule)!;
        var g = Expr.Symbol("g", 0);
        var expected = Expr.Parse("eta*exp(-2*k*(t - u))*(g[0]^2 + g[1]^2)");
        Assert.That(ZeroTest.Run(o.IntegrandSgd! - expected).Kind, Is.EqualTo(ZeroTestKind.Proven), $"NM's integrand: {o.IntegrandSgd}");
        Assert.That(o.IntegrandSgd!.Contains(g), Is.True);
    }

    [Test]
    public void Glossary_DefinesEverySymbolWithUnits_AndSaysSIsTheSquaredNorm()
    {
        var r = Derive("heavy-ball");
        var glossary = Glossary.For(r, Presenter.For(r.Rule));
        var symbols = glossary.Select(e => e.Symbol).ToList();
        foreach (var s in new[] { "eta", "beta", "delta", "k", "t", "n", "q[i]", "x", "s", "r", "m", "mu", "tau" })
            Assert.That(symbols, Does.Contain(s));
        Assert.That(glossary.All(e => e.Units.Length > 0 && e.Meaning.Length > 0), Is.True);
        Assert.That(glossary.Single(e => e.Symbol == "s").Meaning, Does.Contain("|ĝ|²").And.Contain("SQUARED"));
        Assert.That(glossary.Single(e => e.Symbol == "t").Meaning, Does.Contain("t = n·h").And.Contain("eta*(1 - delta)"));
        Assert.That(glossary.Single(e => e.Symbol == "beta").Meaning, Does.Contain("0 ≤ beta < 1"));
        using var doc = JsonDocument.Parse(DerivationFormatter.ToJson(r));
        var json = doc.RootElement.GetProperty("glossary");
        Assert.That(json.GetArrayLength(), Is.EqualTo(glossary.Length));
        Assert.That(json[0].GetProperty("units").GetString(), Is.Not.Empty);
    }

    [Test]
    public void Glossary_NamesTheChargeVariableOfACustomGenerator()
    {
        // A rescale-like custom potential's charge variable appears in the text with its expression.
        var r = Derivation.Run(_catalog, "gd", "scale", ModelSpec.FromPotential("(q[0]^2 + q[1]^2 + q[2]^2)^(-1)*q[0]*q[1]"));
        string text = DerivationFormatter.ToText(r);
        if (r.Law is { Kind: ChargeLawKind.Oscillator } law)
            Assert.That(text, Does.Contain($"  {law.Quantity} ").And.Contain("charge variable"));
        Assert.That(text, Does.Contain("glossary:"));
    }

    [Test]
    public void Verdicts_NonZeroWitnessesLieInsideTheDeclaredDomains()
    {
        var r = Derive("heavy-ball");
        var beta = Expr.Symbol("beta");
        var ksb = r.Verdicts.KineticBreaking.Result!;
        Assert.That(ksb.Kind, Is.EqualTo(ZeroTestKind.NonZero));
        Assert.That(ksb.Witness![beta], Is.GreaterThanOrEqualTo(0).And.LessThan(1), ksb.Evidence);
        Assert.That(ksb.Witness![Expr.Symbol("eta")], Is.GreaterThan(0), ksb.Evidence);
    }

    /// <summary>An overfull box narrower than this is below a quarter of a character at 10 pt and invisible in print;
    /// anything wider means an equation or word runs into the margin.</summary>
    private const double OverfullTolerancePt = 2.0;

    [TestCase("heavy-ball", false)]
    [TestCase("nesterov", false)]
    [TestCase("heavy-ball-decoupled", false)]
    [TestCase(null, true)]
    public void LatexAppendix_CompilesWithPdflatex_WithoutErrorsOrOverfullBoxes(string? rule, bool all)
    {
        var pdflatex = FindOnPath("pdflatex");
        if (pdflatex is null)
            Assert.Ignore("pdflatex is not installed (Debian: apt-get install texlive-latex-base); the appendix was not compiled");
        var results = all ? Derivation.RunAll(_catalog).Results.ToList() : [Derive(rule!)];
        string dir = Path.Combine(Path.GetTempPath(), "noether-appendix-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string tex = DerivationFormatter.ToLatexDocument(results);
            Assert.That(tex, Does.StartWith(@"\documentclass").And.Contain(@"\usepackage{amsmath}").And.Contain(@"\end{document}"));
            Assert.That(Regex.Count(tex, @"\\section\{"), Is.EqualTo(results.Count), "one section per derivation");
            Assert.That(tex, Does.Contain(@"\begin{equation}"), "numbered equations");
            File.WriteAllText(Path.Combine(dir, "appendix.tex"), tex);
            var psi = new ProcessStartInfo(pdflatex, "-interaction=nonstopmode -halt-on-error appendix.tex")
            {
                WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            using var p = Process.Start(psi)!;
            _ = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            string log = File.ReadAllText(Path.Combine(dir, "appendix.log"));
            Assert.That(p.ExitCode, Is.EqualTo(0), "pdflatex failed:\n" + string.Join("\n", log.Split('\n').Where(l => l.StartsWith('!')).Take(10)));
            Assert.That(File.Exists(Path.Combine(dir, "appendix.pdf")), Is.True);
            Assert.That(log.Split('\n').Where(l => l.StartsWith('!')), Is.Empty, "LaTeX errors");
            var overfull = Regex.Matches(log, @"Overfull \\hbox \(([0-9.]+)pt too wide\)[^\n]*")
                .Select(m => (Width: double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), Line: m.Value))
                .Where(o => o.Width > OverfullTolerancePt).Select(o => o.Line).ToList();
            Assert.That(overfull, Is.Empty, $"overfull boxes wider than {OverfullTolerancePt} pt");
            Assert.That(tex, Does.Contain(all ? "all hold" : "All identities hold"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void LatexText_EscapesSpecialsAndUnicode()
    {
        string escaped = LatexText.Escape("∂_s(kappa/2·|q|²) & 50% <grad f, xi> ⟨ĝ⟩ ✓");
        Assert.That(escaped, Does.Contain(@"$\partial$\_s").And.Contain(@"\&").And.Contain(@"\%").And.Contain(@"\textless{}"));
        Assert.That(escaped, Does.Contain("[U+2713]"), "an unmapped character is named, never passed to pdflatex raw");
        Assert.That(escaped.All(c => c < 128), Is.True);
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
