using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics.Tests;

/// <summary>
/// Pins the charge-law branches that the 2026-12-06 mutation run of ChargeLaws.cs showed unchecked
/// (reports/2026-12-06-mutation-charge-laws): which obstruction a generator gets, the quantity each law conserves,
/// the checks each law emits with their anchors, the Green's-function data, the adaptive record's optional parts and the
/// Głuch–Urbanke balance/augmentation bookkeeping. Everything goes through the public entry points
/// (<see cref="Derivation"/>, <see cref="GluchUrbanke"/>); results are exact expressions compared with the zero test,
/// so no floating-point tolerance is involved.
/// </summary>
[TestFixture]
public sealed class ChargeLawMutantTests
{
    private Catalog _catalog = null!;
    private string _extraDir = null!;
    private Catalog _extra = null!;
    private string _noAccumulatorDir = null!;
    private Catalog _noAccumulator = null!;

    [OneTimeSetUp]
    public void LoadCatalogs()
    {
        _catalog = Catalog.Load(CatalogTests.CatalogDir);
        // The shipped catalog plus generators and a rule that reach the branches the shipped files never reach.
        _extraDir = CopyCatalog(_ => true);
        File.WriteAllText(Path.Combine(_extraDir, "symmetries", "shear.yaml"),
            "id: shear\nname: Shear (neither symmetric nor skew)\nkind: custom\ngenerator: [\"q[1]\", \"2*q[0]\"]\n");
        File.WriteAllText(Path.Combine(_extraDir, "symmetries", "affine-partial.yaml"),
            "id: affine-partial\nname: Scale plus a shift of one coordinate\nkind: custom\ngenerator: [\"q[0] + 1\", \"q[1]\"]\n");
        File.WriteAllText(Path.Combine(_extraDir, "symmetries", "second-difference.yaml"),
            "id: second-difference\nname: Translation along (1, -2, 1)\nkind: custom\ngenerator: [\"1\", \"-2\", \"1\"]\n");
        File.WriteAllText(Path.Combine(_extraDir, "symmetries", "tilted.yaml"),
            "id: tilted\nname: Translation along (4, -1, 0)\nkind: custom\ngenerator: [\"4\", \"-1\", \"0\"]\n");
        File.WriteAllText(Path.Combine(_extraDir, "rules", "qhm-test.yaml"),
            "id: qhm-test\nname: Quasi-hyperbolic momentum\nkind: position\n"
            + "hyperparameters: {eta: learning rate, beta: momentum, nu: immediate discount, k: coupled weight decay}\n"
            + "time_step: eta\nbuffer: v\nupdate:\n  v_next: beta*v + (1 - beta)*(g(q) + k*q)\n"
            + "  q_next: q - eta*((1 - nu)*(g(q) + k*q) + nu*v_next)\n");
        File.WriteAllText(Path.Combine(_extraDir, "rules", "plain-gd.yaml"),
            "id: plain-gd\nname: Gradient descent without weight decay\nhyperparameters: {eta: learning rate}\n"
            + "update:\n  q_next: q - eta*g(q)\n");
        _extra = Catalog.Load(_extraDir);
        // The shipped catalog without its accumulator rule (RMSProp).
        _noAccumulatorDir = CopyCatalog(f => !Path.GetFileName(f).StartsWith("rmsprop", StringComparison.Ordinal));
        _noAccumulator = Catalog.Load(_noAccumulatorDir);
    }

    [OneTimeTearDown]
    public void DeleteCatalogs()
    {
        Directory.Delete(_extraDir, true);
        Directory.Delete(_noAccumulatorDir, true);
    }

    private static string CopyCatalog(Func<string, bool> keep)
    {
        var dir = Path.Combine(Path.GetTempPath(), "noether-mutant-catalog-" + Guid.NewGuid().ToString("N"));
        foreach (var sub in new[] { "rules", "symmetries", "models" })
        {
            Directory.CreateDirectory(Path.Combine(dir, sub));
            foreach (var f in Directory.GetFiles(Path.Combine(CatalogTests.CatalogDir, sub)).Where(keep))
                File.Copy(f, Path.Combine(dir, sub, Path.GetFileName(f)));
        }
        return dir;
    }

    private static void AssertEqual(Expr actual, string expected, string what)
    {
        var z = ZeroTest.Run(actual - Expr.Parse(expected));
        Assert.That(z.IsZero, Is.True, $"{what}: engine gave {actual}, expected {expected} ({z})");
    }

    private static IdentityCheck Check(DerivationResult r, string name)
    {
        var matches = r.Checks.Where(c => c.Name == name).ToList();
        Assert.That(matches, Has.Count.EqualTo(1), $"exactly one check named '{name}' in {string.Join(" | ", r.Checks.Select(c => c.Name))}");
        Assert.That(matches[0].Holds, Is.True, $"{name}: {matches[0].Result}");
        return matches[0];
    }

    // ---- which branch a generator takes (lines 37, 48, 53) ----

    [Test]
    public void GeneratorNeitherSymmetricNorSkew_GetsThatObstruction()
    {
        // Jacobian [[0, 1], [2, 0]]: not symmetric, not skew.
        var r = Derivation.Run(_extra, "gd", "shear", ModelSpec.Abstract);
        Assert.That(r.Law!.Kind, Is.EqualTo(ChargeLawKind.None));
        Assert.That(r.Law.Obstruction, Is.EqualTo(ChargeLawObstruction.NeitherSymmetricNorSkew));
        Assert.That(r.AllHold, Is.True, "the charge equation still holds without a closed law");
    }

    [Test]
    public void AffineGenerator_WithAConstantInOneComponentOnly_GetsTheAffineObstruction()
    {
        // ξ = (q0 + 1, q1): linear part I, constant part (1, 0) — one zero component must not hide the shift.
        var r = Derivation.Run(_extra, "gd", "affine-partial", ModelSpec.Abstract);
        Assert.That(r.Law!.Kind, Is.EqualTo(ChargeLawKind.None));
        Assert.That(r.Law.Obstruction, Is.EqualTo(ChargeLawObstruction.AffineGenerator));
    }

    // ---- the conserved quantity, its name and its checks (lines 56-58, 68-77, 94) ----

    [TestCase("translation", "softmax", "y", "q[0] + q[1] + q[2]", "theory/03-noether.md#eq-3-8")]
    [TestCase("scale", "cosine", "x", "q[0]^2 + q[1]^2 + q[2]^2", "theory/03-noether.md#eq-3-9")]
    [TestCase("rescale", "relu-unit", "z", "q[0]^2 + q[1]^2 - q[2]^2", "theory/03-noether.md#eq-3-10")]
    public void OscillatorLaw_ConservesTheTheoryQuantity_AndEmitsItsChecks(string symmetry, string model, string quantity, string value, string anchor)
    {
        var r = Derivation.Run(_catalog, "heavy-ball", symmetry, ModelSpec.FromCatalog(model));
        Assert.That(r.Law!.Kind, Is.EqualTo(ChargeLawKind.Oscillator));
        Assert.That(r.Law.Quantity, Is.EqualTo(quantity));
        AssertEqual(r.Law.Value, value, $"{quantity} (translation: Σ_A q; scale/rescale: the signed |q|² of the sets)");

        var law = Check(r, $"charge law for {quantity}");
        Assert.That(law.Anchor, Is.EqualTo(anchor));
        Assert.That(law.Statement, Does.Contain($"{quantity}''"));
        Assert.That(Check(r, $"overdamped limit of the {quantity} law").Anchor, Is.EqualTo("theory/03-noether.md#eq-3-7"));
        Assert.That(Check(r, $"gradient-flow conservation of {quantity} (eta = k = 0)").Anchor, Is.EqualTo("theory/03-noether.md#eq-3-13"));
        foreach (var regime in new[] { "under-damped", "critically damped", "over-damped" })
            Assert.That(Check(r, "Green's functions, " + regime).Anchor, Is.EqualTo("theory/03-noether.md#eq-3-12"));
    }

    [Test]
    public void RuleWithoutWeightDecay_HasAnUndrivenLaw_WithZeroStiffness()
    {
        // No k: λ = 0 exactly, a constant with no free symbols, which is a law and not "not a multiple".
        var r = Derivation.Run(_extra, "plain-gd", "rescale", ModelSpec.Abstract);
        Assert.That(r.Law!.Kind, Is.EqualTo(ChargeLawKind.Oscillator), r.Law.Obstruction?.ToString());
        Assert.That(r.Law.Stiffness, Is.EqualTo(Expr.Zero));
        Assert.That(r.AllHold, Is.True, DerivationFormatter.ToText(r));
    }

    [TestCase("second-difference", "q[0] - 2*q[1] + q[2]")]
    [TestCase("tilted", "4*q[0] - q[1]")]
    public void TranslationWhoseQuantityVanishesAtASamplePoint_StillGetsItsLaw(string symmetry, string quantity)
    {
        // λ is read off at a sample point where the quantity is not 0, then proven for all q. (1, −2, 1): y vanishes
        // wherever q is an arithmetic progression, which every sample point once was (this got NotAMultiple);
        // (4, −1, 0): y vanishes at the first sample point q = (1, 4, 9), so the next point must be tried.
        var r = Derivation.Run(_extra, "gd", symmetry, ModelSpec.Abstract);
        Assert.That(r.Law!.Kind, Is.EqualTo(ChargeLawKind.Oscillator), r.Law.Obstruction?.ToString());
        AssertEqual(r.Law.Value, quantity, "y");
        AssertEqual(r.Law.Stiffness, "k", "lambda of a translation law");
        Assert.That(Check(r, "charge law for y").Anchor, Is.EqualTo("theory/03-noether.md#eq-3-8"));
    }

    // ---- Green's functions (lines 121, 134, 135, 147, 156, 157) ----

    [Test]
    public void GreenFunctions_HaveTheDiscriminantAndTheThreeNamedRegimes()
    {
        var r = Derivation.Run(_catalog, "heavy-ball", "scale", ModelSpec.FromCatalog("cosine"));
        var g = r.Law!.Green!;
        AssertEqual(g.Gamma - (r.Law.Friction / (2 * r.Law.Mass)), "0", "gamma = mu/(2m)");
        Assert.That(ZeroTest.Run(g.Discriminant - ((g.Gamma * g.Gamma) - g.OmegaSquared)).IsZero, Is.True, $"discriminant {g.Discriminant}");
        Assert.That(g.Regimes.Select(x => x.Name), Is.EqualTo(new[] { "under-damped", "critically damped", "over-damped" }));
        Assert.That(g.Regimes.Select(x => x.Condition), Has.All.Not.Empty);
        Assert.That(g.Regimes[1].Condition, Is.EqualTo("gamma² = omega²"));
        Assert.That(g.Regimes[2].Condition, Does.StartWith("gamma² > omega²"));
    }

    // ---- the rotation (decay) law (lines 84-88) ----

    [Test]
    public void RotationLaw_NamesItsQuantity_AndEmitsBothChecks()
    {
        var r = Derivation.Run(_catalog, "heavy-ball", "rotation", ModelSpec.FromCatalog("rotation-factor"));
        Assert.That(r.Law!.Kind, Is.EqualTo(ChargeLawKind.Decay));
        Assert.That(r.Law.Quantity, Is.EqualTo("l"));
        var law = Check(r, "rotation law");
        Assert.That(law.Anchor, Is.EqualTo("theory/03-noether.md#eq-3-11"));
        Assert.That(law.Statement, Does.Contain("l' + l/tau = 0"));
        Assert.That(Check(r, "velocity constraint under gradient flow").Anchor, Is.EqualTo("theory/03-noether.md#eq-3-7"));
    }

    [TestCase("nesterov")]
    [TestCase("qhm-test")]
    public void RotationLaw_AfterAHessianReduction_IsNotDerived(string rule)
    {
        // Nesterov and quasi-hyperbolic momentum evaluate the gradient at two points, so their modified equation has a
        // Hessian term that the engine reduces with the slow equation; the rotation law lives on the fast scale
        // tau = O(eta), where that reduction does not hold (the generated check found qhm's tau off by the factor nu).
        var r = Derivation.Run(_extra, rule, "rotation", ModelSpec.FromCatalog("rotation-factor"));
        Assert.That(r.ModifiedEquation.Reduction, Is.Not.Null, "the premise: a Hessian term was reduced");
        Assert.That(r.Law!.Kind, Is.EqualTo(ChargeLawKind.None));
        Assert.That(r.Law.Obstruction, Is.EqualTo(ChargeLawObstruction.FastLawAfterHessianReduction));
        Assert.That(DerivationFormatter.Reason(r.Law), Does.Contain("fast time scale"));
        Assert.That(r.Checks.Select(c => c.Name), Has.None.EqualTo("rotation law"));
        Assert.That(r.AllHold, Is.True, "the charge equation itself still holds");
    }

    [Test]
    public void RotationLaw_WithoutAHessianReduction_IsStillDerived()
    {
        var r = Derivation.Run(_catalog, "heavy-ball", "rotation", ModelSpec.FromCatalog("rotation-factor"));
        Assert.That(r.ModifiedEquation.Reduction, Is.Null);
        Assert.That(r.Law!.Obstruction, Is.Null);
    }

    // ---- the adaptive (r⁴) record (lines 205, 212, 214, 216) ----

    [Test]
    public void AdaptiveRecord_ChecksTheSteadyState_AndDerivesWhiteNoiseForHeavyBall()
    {
        var r = Derivation.Run(_catalog, "heavy-ball", "scale", ModelSpec.FromCatalog("cosine"));
        Assert.That(Check(r, "r^4 steady state solves the scale law").Anchor, Is.EqualTo("theory/05-learning-dynamics.md#eq-5-4"));
        var a = r.Adaptive!;
        Assert.That(a.SteadyStateWhite, Is.Not.Null);
        Assert.That(a.WhiteNoiseNotDerived, Is.Null, "white noise is derived for heavy ball, so no reason is given");
        Assert.That(a.RmsPropAccumulator!.Rule.Id, Is.EqualTo("rmsprop"));
    }

    [Test]
    public void AdaptiveRecord_WithoutAnAccumulatorRule_HasNoRmsPropMap()
    {
        var r = Derivation.Run(_noAccumulator, "heavy-ball", "scale", ModelSpec.FromCatalog("cosine"));
        Assert.That(r.Adaptive, Is.Not.Null);
        Assert.That(r.Adaptive!.RmsPropAccumulator, Is.Null);
        Assert.That(r.AllHold, Is.True);
    }

    // ---- every check says what it proves and where (statement strings on lines 68-86, 205, 260) ----

    [TestCase("heavy-ball", "translation", "softmax")]
    [TestCase("heavy-ball", "scale", "cosine")]
    [TestCase("gd", "rescale", "linear-net")]
    [TestCase("heavy-ball", "rotation", "rotation-factor")]
    public void EveryCheck_HasAStatementAndATheoryAnchor(string rule, string symmetry, string model)
    {
        var r = Derivation.Run(_catalog, rule, symmetry, ModelSpec.FromCatalog(model));
        foreach (var c in r.Checks.Concat(_catalog.Models.Where(m => m.Id == model && (!m.Balance.IsEmpty || m.Augmentation is not null))
                     .SelectMany(m => GluchUrbanke.Derive(m).Checks)))
        {
            Assert.That(c.Statement, Is.Not.Empty, c.Name);
            Assert.That(c.Anchor, Does.StartWith("theory/").And.Contain("#eq-"), c.Name);
        }
    }

    // ---- Głuch–Urbanke (lines 233, 255, 271, 281, 282) ----

    [Test]
    public void GluchUrbanke_ChecksEachUnorderedBalancePairOnce_WithTheBalanceAnchor()
    {
        var laws = GluchUrbanke.Derive(_catalog.Model("linear-net"));
        Assert.That(laws.BalanceMatrix, Has.Length.EqualTo(4), "hidden width 2: a 2×2 balance matrix");
        var names = laws.Checks.Select(c => c.Name).ToList();
        Assert.That(names, Is.EquivalentTo(new[]
        {
            "balance [0,0] conserved by gradient flow", "balance [0,0] GD drift",
            "balance [0,1] conserved by gradient flow", "balance [0,1] GD drift",
            "balance [1,1] conserved by gradient flow", "balance [1,1] GD drift",
        }), "the matrix is symmetric: [1,0] repeats [0,1]");
        Assert.That(laws.Checks, Has.All.Matches<IdentityCheck>(c => c!.Holds && c.Anchor == "theory/03-noether.md#eq-3-14"));
    }

    [Test]
    public void GluchUrbanke_AugmentationConstraint_IsTheFullSkewMatrix_CheckedAboveTheDiagonal()
    {
        var laws = GluchUrbanke.Derive(_catalog.Model("rotation-factor"));
        var c = laws.Constraint;
        Assert.That(c, Has.Length.EqualTo(4), "W has 2 columns: skew(WᵀG) is 2×2");
        // The loss is invariant under W → WR, so every entry (diagonal and lower triangle included) vanishes identically.
        Assert.That(c, Has.All.Matches<Expr>(e => ZeroTest.Run(e!).IsZero));
        var check = laws.Checks.Single();
        Assert.That(check.Name, Is.EqualTo("augmentation constraint skew(W^T G)[0,1]"));
        Assert.That(check.Anchor, Is.EqualTo("theory/03-noether.md#eq-3-15"));
        Assert.That(check.Holds, Is.True);
    }

    [Test]
    public void GluchUrbanke_AbstractModel_IsRejectedWithItsId()
    {
        Assert.That(() => GluchUrbanke.Derive(_catalog.Model("abstract-scale")),
            Throws.TypeOf<NoetherTheoryException>().With.Message.Contains("'abstract-scale' is abstract"));
    }
}
