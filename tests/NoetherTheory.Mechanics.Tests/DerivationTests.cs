using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics.Tests;

[TestFixture]
public sealed class DerivationTests
{
    /// <summary>(1+β)/(1−β)³ = 1900 at β = 0.9: 1 − 0.9 is exact but carries 0.9's representation error (2e-16 relative),
    /// cubing triples it, so ≈1e-12 absolute at 1900; 1e-9 leaves room for the evaluator's operation order.</summary>
    private const double AmplificationAtBeta09 = 1e-9;

    private Catalog _catalog = null!;
    private CatalogDerivation _all = null!;
    private double _seconds;

    [OneTimeSetUp]
    public void DeriveEverything()
    {
        _catalog = Catalog.Load(CatalogTests.CatalogDir);
        var clock = Stopwatch.StartNew();
        _all = Derivation.RunAll(_catalog);
        _seconds = clock.Elapsed.TotalSeconds;
        TestContext.Progress.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"derive --all: {_all.Results.Length} derivations, {_all.CheckCount} identities in {_seconds:F2} s"));
    }

    private static void AssertEqual(Expr actual, string expected, string what)
    {
        var z = ZeroTest.Run(actual - Expr.Parse(expected));
        Assert.That(z.IsZero, Is.True, $"{what}: engine gave {actual}, theory says {expected} ({z})");
    }

    [Test]
    public void WholeCatalog_EveryIdentityHolds()
    {
        var failures = _all.Results.SelectMany(r => r.Checks.Where(c => !c.Holds).Select(c => $"{r.Rule.Id}×{r.Symmetry.Id}×{r.ModelName}: {c.Name}: {c.Result}"))
            .Concat(_all.ModelLaws.SelectMany(m => m.Checks.Where(c => !c.Holds).Select(c => $"{m.Model.Id}: {c.Name}: {c.Result}")));
        Assert.That(failures, Is.Empty);
        Assert.That(_all.AllHold, Is.True);
        // Its time is printed (TestContext) and measured by `noether derive --all`, not asserted: a timed unit test fails on
        // a loaded machine without saying anything about the code (house rule: speed targets live in benchmarks).
    }

    [Test]
    public void WholeCatalog_CoversEveryPositionRuleSymmetryAndModelBinding()
    {
        var positionRules = _catalog.Rules.Where(r => r.Kind == RuleKind.Position).Select(r => r.Id).ToList();
        foreach (var rule in positionRules)
        {
            foreach (var s in _catalog.Symmetries)
                Assert.That(_all.Results.Any(r => r.Rule.Id == rule && r.Symmetry.Id == s.Id && r.IsAbstract), $"{rule} × {s.Id} (abstract)");
            foreach (var m in _catalog.Models)
                foreach (var b in m.Symmetries)
                    Assert.That(_all.Results.Any(r => r.Rule.Id == rule && r.Symmetry.Id == b.SymmetryId && r.ModelName == m.Id), $"{rule} × {m.Id} × {b.SymmetryId}");
        }
        Assert.That(_all.Accumulators.Select(a => a.Rule.Id), Is.EquivalentTo(new[] { "rmsprop" }));
        Assert.That(_all.ModelLaws.Select(m => m.Model.Id), Is.EquivalentTo(new[] { "linear-net", "rotation-factor" }));
    }

    // symmetry, KSB, weight decay (theory/03-noether.md#eq-3-2, #eq-3-3)
    [TestCase("translation", VerdictKind.Preserves, VerdictKind.Breaks)]
    [TestCase("scale", VerdictKind.Breaks, VerdictKind.Breaks)]
    [TestCase("rescale", VerdictKind.Breaks, VerdictKind.Breaks)]
    [TestCase("rotation", VerdictKind.Preserves, VerdictKind.Preserves)]
    public void KsbAndWeightDecayVerdicts_MatchTheTheoryTable(string symmetry, VerdictKind ksb, VerdictKind wd)
    {
        var r = _all.Results.First(x => x.Rule.Id == "heavy-ball" && x.Symmetry.Id == symmetry && x.IsAbstract);
        Assert.That(r.Verdicts.LossSymmetry.Outcome, Is.EqualTo(VerdictKind.Declared));
        Assert.That(r.Verdicts.KineticBreaking.Outcome, Is.EqualTo(ksb), r.Verdicts.KineticBreaking.Term.ToString());
        Assert.That(r.Verdicts.WeightDecayBreaking.Outcome, Is.EqualTo(wd), r.Verdicts.WeightDecayBreaking.Term.ToString());
    }

    [Test]
    public void ConcreteModels_RespectTheirDeclaredSymmetries()
    {
        foreach (var r in _all.Results.Where(x => !x.IsAbstract && x.ModelSpec.Source == ModelSource.Catalog && !_catalog.Model(x.ModelName).IsAbstract))
            Assert.That(r.Verdicts.LossSymmetry.Outcome, Is.EqualTo(VerdictKind.Preserves), $"{r.ModelName} × {r.Symmetry.Id}: {r.Verdicts.LossSymmetry.Result}");
    }

    [Test]
    public void PotentialThatBreaksTheSymmetry_IsReportedAsBreaking_AndGetsNoLaw()
    {
        var r = Derivation.Run(_catalog, "gd", "scale", ModelSpec.FromPotential("q[0]^2 + q[1]"));
        Assert.That(r.Verdicts.LossSymmetry.Outcome, Is.EqualTo(VerdictKind.Breaks));
        Assert.That(r.Verdicts.LossSymmetry.Result!.Witness, Is.Not.Null);
        Assert.That(r.Law!.Kind, Is.EqualTo(ChargeLawKind.None));
        Assert.That(r.AllHold, Is.True, "the Noether identity and NLD equation hold for any potential");
    }

    [Test]
    public void UndefinedFunctionInAPotential_GivesAnInconclusiveVerdict()
    {
        var r = Derivation.Run(_catalog, "gd", "scale", ModelSpec.FromPotential("h(q[0])"));
        Assert.That(r.Verdicts.LossSymmetry.Outcome, Is.EqualTo(VerdictKind.Inconclusive), r.Verdicts.LossSymmetry.Result!.ToString());
    }

    [Test]
    public void ScaleLaw_AndR4Law_MatchNld()
    {
        var r = _all.Results.First(x => x.Rule.Id == "heavy-ball" && x.Symmetry.Id == "scale" && x.ModelName == "cosine");
        Assert.That(r.Law!.Kind, Is.EqualTo(ChargeLawKind.Oscillator));
        AssertEqual(r.Law.Stiffness, "2*k", "lambda (theory/03-noether.md#eq-3-9)");
        AssertEqual(r.Law.Source, "eta*(1 - delta)*(1 + beta)*(qdot[0]^2 + qdot[1]^2 + qdot[2]^2)", "source 2m|qdot|²");
        AssertEqual(r.Law.Green!.OmegaSquared, "4*k/(eta*(1 - delta)*(1 + beta))", "omega²");
        var a = r.Adaptive!;
        // theory/05-learning-dynamics.md#eq-5-3 … #eq-5-5 with delta = 0 in the paper; the engine keeps delta.
        AssertEqual(a.Decay, "4*k/(1 - beta)", "r⁴ decay");
        AssertEqual(a.GainPersistent, "2*eta*(1 - delta)*(1 + beta)/(1 - beta)^3", "gain");
        AssertEqual(a.SteadyStatePersistent.Substitute(Expr.Symbol("delta"), Expr.Zero), "eta*(1 + beta)*s/(2*k*(1 - beta)^2)", "r⁴* persistent");
        AssertEqual(a.SteadyStateWhite!.Substitute(Expr.Symbol("delta"), Expr.Zero), "eta*s/(2*k*(1 - beta))", "r⁴* white noise");
        AssertEqual(a.DiscountPerStep.Substitute(Expr.Symbol("delta"), Expr.Zero), "1 - 4*eta*k/(1 - beta)", "rho_eff");
        AssertEqual(a.MomentumAmplification!, "(1 + beta)/(1 - beta)^3", "amplification");
        Assert.That(a.MomentumAmplification!.Evaluate(new Dictionary<Symbol, double> { [Coordinates.Beta] = 0.9 }), Is.EqualTo(1900).Within(AmplificationAtBeta09));
    }

    [TestCase("translation", "softmax", "y", "k")]
    [TestCase("rescale", "linear-net", "z", "2*k")]
    [TestCase("rescale", "relu-unit", "z", "2*k")]
    public void OscillatorLaws_HaveTheTheoryStiffness(string symmetry, string model, string quantity, string lambda)
    {
        var r = _all.Results.First(x => x.Rule.Id == "gd" && x.Symmetry.Id == symmetry && x.ModelName == model);
        Assert.That(r.Law!.Kind, Is.EqualTo(ChargeLawKind.Oscillator));
        Assert.That(r.Law.Quantity, Is.EqualTo(quantity));
        AssertEqual(r.Law.Stiffness, lambda, "lambda");
    }

    [Test]
    public void RotationLaw_IsExponentialDecay_AndNonlinearGeneratorHasNoClosedLaw()
    {
        var rot = _all.Results.First(x => x.Rule.Id == "heavy-ball" && x.Symmetry.Id == "rotation" && x.ModelName == "rotation-factor");
        Assert.That(rot.Law!.Kind, Is.EqualTo(ChargeLawKind.Decay));
        Assert.That(rot.Checks.Single(c => c.Name == "rotation law").Holds, Is.True);
        var nl = _all.Results.First(x => x.Rule.Id == "gd" && x.Symmetry.Id == "rescale-nonlinear" && x.ModelName == "linear-scalar");
        Assert.That(nl.Law!.Kind, Is.EqualTo(ChargeLawKind.None));
        Assert.That(nl.Law.Obstruction, Is.EqualTo(ChargeLawObstruction.NonlinearGenerator));
        Assert.That(DerivationFormatter.Reason(nl.Law), Does.Contain("not linear"));
        Assert.That(nl.Verdicts.LossSymmetry.Outcome, Is.EqualTo(VerdictKind.Preserves));
    }

    [Test]
    public void GluchUrbanke_BalanceAndAugmentation_AreProven()
    {
        var net = _all.ModelLaws.Single(m => m.Model.Id == "linear-net");
        Assert.That(net.BalanceMatrix, Has.Length.EqualTo(4));
        Assert.That(net.Checks.Select(c => c.Name), Has.Some.Contains("GD drift").And.Some.Contains("conserved by gradient flow"));
        Assert.That(net.Checks.All(c => c.Holds));
        var rot = _all.ModelLaws.Single(m => m.Model.Id == "rotation-factor");
        Assert.That(rot.Checks.Single().Holds, Is.True);
    }

    [Test]
    public void IdentityCheck_CanFail_WhenTheStatementIsWrong()
    {
        // The same machinery that certifies the charge equation rejects a wrong one: drop the J/tau term.
        var r = Derivation.Run(_catalog, "gd", "scale", ModelSpec.FromCatalog("cosine"));
        var wrong = r.Equations.OnShell(new JetSpace(Coordinates.Of(r.Dimension), Coordinates.Time).TotalTimeDerivative(r.Charge) - r.ChargeEquationRight);
        Assert.That(ZeroTest.Run(wrong).Kind, Is.EqualTo(ZeroTestKind.NonZero));
    }

    [Test]
    public void AbstractModelWithoutTheInvariance_IsRejectedWithAMessage()
    {
        var ex = Assert.Throws<NoetherTheoryException>(() => Derivation.Run(_catalog, "gd", "rotation", ModelSpec.FromCatalog("abstract-scale")));
        Assert.That(ex!.Message, Does.Contain("declares no invariance under 'rotation'"));
        Assert.Throws<NoetherTheoryException>(() => Derivation.Run(_catalog, "rmsprop", "scale", ModelSpec.Abstract));
        var bad = Assert.Throws<InvalidPotentialException>(() => Derivation.Run(_catalog, "gd", "scale", ModelSpec.FromPotential("q[0] +")));
        Assert.That(bad!.Potential, Is.EqualTo("q[0] +"));
        Assert.That(bad.Message, Does.StartWith("the potential cannot be parsed").And.Not.Contain("--"), "the library names no CLI flag");
        Assert.That(() => Derivation.Run(_catalog, "gd", "scale", ModelSpec.FromPotential("eta*q[0]")),
            Throws.TypeOf<InvalidPotentialException>().With.Message.Contains("reserved").And.Message.Not.Contains("--"));
    }

    [Test]
    public void NewSymmetryAndRuleFiles_AreDerivedEndToEnd_WithoutCodeChanges()
    {
        var dir = Path.Combine(Path.GetTempPath(), "noether-catalog-" + Guid.NewGuid().ToString("N"));
        foreach (var sub in new[] { "rules", "symmetries", "models" })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
            foreach (var f in Directory.GetFiles(Path.Combine(CatalogTests.CatalogDir, sub)))
                File.Copy(f, Path.Combine(dir, sub, Path.GetFileName(f)));
        }
        File.WriteAllText(Path.Combine(dir, "symmetries", "joint-scale.yaml"),
            "id: joint-scale\nname: Joint scale of two blocks\nkind: custom\ngenerator: [\"q[0]\", \"q[1]\", \"2*q[2]\"]\n");
        File.WriteAllText(Path.Combine(dir, "rules", "polyak.yaml"),
            "id: polyak\nname: Polyak heavy ball\nhyperparameters: {eta: lr, beta: momentum, k: weight decay}\nbuffer: u\n"
            + "update:\n  u_next: beta*u - eta*(g(q) + k*q)\n  q_next: q + u_next\n");
        try
        {
            var catalog = Catalog.Load(dir);
            var r = Derivation.Run(catalog, "polyak", "joint-scale", ModelSpec.Abstract);
            Assert.That(r.AllHold, Is.True, DerivationFormatter.ToText(r));
            AssertEqual(r.ModifiedEquation.Mass, "eta*(1 + beta)/2", "Polyak form has the heavy-ball mass");
            Assert.That(r.Law!.Kind, Is.EqualTo(ChargeLawKind.Oscillator));
            AssertEqual(r.Law.Value, "q[0]^2 + q[1]^2 + 2*q[2]^2", "quantity");
            AssertEqual(r.Law.Stiffness, "2*k", "lambda");
            Assert.That(r.Verdicts.KineticBreaking.Outcome, Is.EqualTo(VerdictKind.Breaks));
            Assert.That(Derivation.RunAll(catalog).AllHold, Is.True);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test, SetCulture("de-DE")]
    public void Formatters_ProduceTextLatexAndParseableJson()
    {
        var r = Derivation.Run(_catalog, "heavy-ball", "scale", ModelSpec.FromCatalog("cosine"));
        Assert.That(DerivationFormatter.ToText(r), Does.Contain("all identities hold").And.Contain("charge law"));
        Assert.That(DerivationFormatter.ToLatex(r), Does.Contain(@"\begin{equation}").And.Contain(@"\mathcal L"));
        using var doc = JsonDocument.Parse(DerivationFormatter.ToJson(r));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("rule").GetString(), Is.EqualTo("heavy-ball"));
        Assert.That(root.GetProperty("allHold").GetBoolean(), Is.True);
        Assert.That(root.GetProperty("modifiedEquation").GetProperty("mass").GetProperty("text").GetString(), Does.Contain("eta"));
        Assert.That(root.GetProperty("checks").EnumerateArray().All(c => c.GetProperty("holds").GetBoolean()));
        Assert.That(root.GetProperty("adaptive").GetProperty("decay").GetProperty("latex").GetString(), Is.Not.Empty);
        using var all = JsonDocument.Parse(DerivationFormatter.ToJson(_all));
        Assert.That(all.RootElement.GetProperty("elapsedSeconds").GetRawText(), Does.Not.Contain(","));
        Assert.That(all.RootElement.GetProperty("results").GetArrayLength(), Is.EqualTo(_all.Results.Length));
        Assert.That(DerivationFormatter.ToText(_all), Does.Contain("all hold"));
    }

    [Test]
    public void Formatter_PrintsFactoredMassAndCompactLagrangian_ForHeavyBall()
    {
        var r = Derivation.Run(_catalog, "heavy-ball", "scale", ModelSpec.FromCatalog("cosine"));
        var factoredMass = Expr.Parse("eta*(1 + beta)*(1 - delta)/2");
        Assert.That(ZeroTest.Run(r.ModifiedEquation.Mass - factoredMass).Kind, Is.EqualTo(ZeroTestKind.Proven), "precondition: m of heavy ball");
        string text = DerivationFormatter.ToText(r);
        Assert.That(text, Does.Contain("m = eta*(1 + beta)*(1 - delta)/2"));
        Assert.That(text, Does.Contain("L = exp(t/tau)*("));
        Assert.That(text, Does.Contain("m*qddot[0] + mu*qdot[0] = "));
        Assert.That(text, Does.Not.Contain("-beta*delta*eta/2"), "no distributed mass anywhere in the text output");
        string latex = DerivationFormatter.ToLatex(r);
        Assert.That(latex, Does.Contain(factoredMass.ToDisplayLatex()));
        Assert.That(latex, Does.Contain(@"\mathcal L = " + Expr.Exp(Coordinates.Time / CompactForms.Tau).ToLatex()));
    }

    [Test]
    public void Json_PrettyFields_ParseBackEqualInValueToText()
    {
        var r = Derivation.Run(_catalog, "heavy-ball", "scale", ModelSpec.FromCatalog("cosine"));
        using var doc = JsonDocument.Parse(DerivationFormatter.ToJson(r));
        int compared = 0;
        void Visit(JsonElement e, string path)
        {
            if (e.ValueKind == JsonValueKind.Object)
            {
                if (e.TryGetProperty("pretty", out var pretty))
                {
                    var text = Expr.Parse(e.GetProperty("text").GetString()!);
                    var back = Expr.Parse(pretty.GetString()!);
                    Assert.That(ZeroTest.Run(back - text).IsZero, Is.True, $"{path}: pretty {pretty} ≠ text {text}");
                    Assert.That(e.GetProperty("prettyLatex").GetString(), Is.Not.Empty, path);
                    compared++;
                }
                foreach (var p in e.EnumerateObject()) Visit(p.Value, path + "." + p.Name);
            }
            else if (e.ValueKind == JsonValueKind.Array)
            {
                int i = 0;
                foreach (var x in e.EnumerateArray()) Visit(x, $"{path}[{i++}]");
            }
        }
        Visit(doc.RootElement, "$");
        Assert.That(compared, Is.GreaterThan(0), "heavy ball's mass has a factored form, so some pretty field must exist");
        var mass = doc.RootElement.GetProperty("modifiedEquation").GetProperty("mass");
        Assert.That(mass.GetProperty("pretty").GetString(), Is.EqualTo("eta*(1 + beta)*(1 - delta)/2"));
        Assert.That(mass.GetProperty("prettyCheck").GetString(), Is.EqualTo("Proven"));
    }
}
