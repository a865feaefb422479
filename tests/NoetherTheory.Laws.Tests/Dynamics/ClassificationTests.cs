using NoetherTheory.Laws.Dynamics;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Tests.Dynamics;

/// <summary>The exact classification of theory/07-laws-under-momentum.md#eq-7-2 … #eq-7-4 on networks with known laws.</summary>
[TestFixture]
public sealed class ClassificationTests
{
    private static IEnumerable<TestCaseData> Networks()
    {
        yield return new TestCaseData("linear", 2, 2, 2, 1).SetName("Linear_2_2_2");
        yield return new TestCaseData("linear", 2, 3, 2, 3).SetName("Linear_2_3_2");
        yield return new TestCaseData("relu", 2, 3, 2, 0).SetName("Relu_2_3_2");
    }

    private static (Factorisation, List<ConservationLaw>) Build(string kind, int a, int b, int c) =>
        kind == "linear" ? DynamicsFixtures.Linear(a, b, c) : DynamicsFixtures.Relu(a, b, c);

    [TestCaseSource(nameof(Networks))]
    public void Gradient_EveryKnownLaw_IsConserved(string kind, int a, int b, int c, int _)
    {
        var (phi, laws) = Build(kind, a, b, c);
        var r = LawDynamics.Classify(phi, laws, Flow.Gradient);
        Assert.That(r.Verdicts.Select(v => v.Fate), Is.All.EqualTo(LawFate.Conserved), "theory/07-laws-under-momentum.md#eq-7-1");
    }

    [TestCaseSource(nameof(Networks))]
    public void WeightDecay_QuadraticLaws_AreScaledByE2LambdaT(string kind, int a, int b, int c, int _)
    {
        var (phi, laws) = Build(kind, a, b, c);
        var r = LawDynamics.Classify(phi, laws, Flow.WeightDecay);
        Assert.That(r.Verdicts.Select(v => v.Fate), Is.All.EqualTo(LawFate.ScaledBy));
        Assert.That(r.Verdicts.Select(v => v.ScalingDegrees.Single()), Is.All.EqualTo(2), "h·e^(2λt), theory/07-laws-under-momentum.md#eq-7-2");
    }

    [TestCaseSource(nameof(Networks))]
    public void Momentum_SymmetricLaws_AreLost_AndRotationChargesCountIsROverTwo(string kind, int a, int b, int c, int rotations)
    {
        var (phi, laws) = Build(kind, a, b, c);
        var r = LawDynamics.Classify(phi, laws, Flow.Momentum);
        Assert.That(r.Verdicts.Select(v => v.Fate), Is.All.EqualTo(LawFate.Lost), "KSB, theory/07-laws-under-momentum.md#eq-7-3");
        Assert.That(r.Verdicts.Select(v => v.Generator), Is.All.EqualTo(GeneratorKind.Symmetric));
        // Linear nets keep the O(r) part, r(r−1)/2 decaying charges; ReLU nets keep none (Marcotte, Gribonval & Peyré 2024).
        Assert.That(r.Charges, Has.Length.EqualTo(rotations), "theory/07-laws-under-momentum.md#eq-7-4");
        foreach (var q in r.Charges)
        {
            var k = ToArray(q.Generator);
            Assert.That(LawDynamics.KineticBreaking(k, phi.Dimension).IsZero, Is.True, $"{q.Name}: θ̇ᵀKθ̇ ≡ 0");
            Assert.That(LinearSymmetries.IsSymmetry(phi.Components.Select(p => PolynomialCalculus.Gradient(p, phi.Dimension)).ToList(), k, phi.Dimension), Is.True);
        }
    }

    [Test]
    public void Momentum_OverParameterisedLinear_2_5_3_KeepsTenRotationCharges_And_4_3_5_IsBeyondTheCap()
    {
        // r = 5 > n0, n2: the linear antisymmetric symmetries are still exactly so(5), r(r−1)/2 = 10.
        var (phi, laws) = DynamicsFixtures.Linear(2, 5, 3);
        var r = LawDynamics.Classify(phi, laws, Flow.Momentum);
        Assert.That(r.Charges, Has.Length.EqualTo(10));
        Assert.That(r.Count(LawFate.Lost), Is.EqualTo(15));
        var (big, bigLaws) = DynamicsFixtures.Linear(4, 3, 5);
        var b = LawDynamics.Classify(big, bigLaws, Flow.Momentum);
        Assert.That(b.Charges, Is.Empty);
        Assert.That(b.ChargesNote, Does.Contain("not computed"));
    }

    [Test]
    public void Momentum_LostLaw_BreakingTermIsTwiceTheKineticRescale()
    {
        var (phi, laws) = DynamicsFixtures.Relu(2, 3, 2);
        var v = LawDynamics.Classify(phi, laws, Flow.Momentum).Verdicts[0];
        int d = phi.Dimension;
        // h = |W1[0,:]|² − |W2[:,0]|²: θ̇ᵀ∇²hθ̇ = 2(|Ẇ1[0,:]|² − |Ẇ2[:,0]|²).
        var expected = Polynomial.Constant(2) * (Sq(d + 0) + Sq(d + 1) - Sq(d + 6) - Sq(d + 9));
        Assert.That(v.BreakingTerm, Is.EqualTo(expected));
    }

    [Test]
    public void Triple_Laws_LostUnderMomentum_ScaledUnderWeightDecay_NoCharges()
    {
        var (phi, laws) = DynamicsFixtures.Triple();
        var m = LawDynamics.Classify(phi, laws, Flow.Momentum);
        Assert.That(m.Verdicts.Select(v => v.Fate), Is.All.EqualTo(LawFate.Lost));
        Assert.That(m.Charges, Is.Empty, "diagonal rescalings only: no antisymmetric linear symmetry");
        Assert.That(LawDynamics.Classify(phi, laws, Flow.WeightDecay).Verdicts.Select(v => v.Fate), Is.All.EqualTo(LawFate.ScaledBy));
    }

    [Test]
    public void AffineLaw_SurvivesMomentum_AsHPlusTauHDot_AndScalesByELambdaT()
    {
        var (phi, laws) = DynamicsFixtures.TranslationAndRescale();
        var m = LawDynamics.Classify(phi, laws, Flow.Momentum);
        Assert.That(m.Verdicts[0].Fate, Is.EqualTo(LawFate.Conserved));
        Assert.That(m.Verdicts[0].Generator, Is.EqualTo(GeneratorKind.Translation));
        Assert.That(m.Verdicts[1].Fate, Is.EqualTo(LawFate.Lost));
        var w = LawDynamics.Classify(phi, laws, Flow.WeightDecay);
        Assert.That(w.Verdicts[0].ScalingDegrees, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void NonHomogeneousLaw_WhosePartsAreLaws_IsScaledPartByPart()
    {
        var (phi, laws) = DynamicsFixtures.TranslationAndRescale();
        var h = laws[0].Law + laws[1].Law + Polynomial.Constant(5);
        var w = LawDynamics.Classify(phi, [new ConservationLaw("mixed", h, h.ToString())], Flow.WeightDecay).Verdicts[0];
        Assert.That(w.Fate, Is.EqualTo(LawFate.ScaledBy));
        Assert.That(w.ScalingDegrees, Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void NonHomogeneousLaw_WhosePartsAreNotLaws_IsLostUnderWeightDecay()
    {
        // φ = x0·(x1 + 1) (not homogeneous) has the law x0² − (x1 + 1)², whose degree-2 part x0² − x1² is not a law.
        var phi = new Factorisation("x0*(x1+1)", ["x0", "x1"], [Polynomial.Variable(0) * (Polynomial.Variable(1) + Polynomial.One)]);
        var h = Polynomial.Variable(0).Pow(2) - (Polynomial.Variable(1) + Polynomial.One).Pow(2);
        var law = new ConservationLaw("x0² − (x1+1)²", h, h.ToString());
        Assert.That(LawDynamics.Classify(phi, [law], Flow.Gradient).Verdicts[0].Fate, Is.EqualTo(LawFate.Conserved), "it is a gradient-flow law");
        var w = LawDynamics.Classify(phi, [law], Flow.WeightDecay).Verdicts[0];
        Assert.That(w.Fate, Is.EqualTo(LawFate.Lost));
        Assert.That(w.BreakingTerm!.IsZero, Is.False);
    }

    [Test]
    public void PerturbedLaw_IsNotALaw_UnderEveryFlow([Values] Flow flow)
    {
        var (phi, laws) = DynamicsFixtures.Linear(2, 2, 2);
        var v = LawDynamics.Classify(phi, [DynamicsFixtures.Perturbed(laws[1])], flow).Verdicts[0];
        Assert.That(v.Fate, Is.EqualTo(LawFate.NotALaw));
        Assert.That(v.BreakingTerm!.IsZero, Is.False);
    }

    [Test]
    public void SymmetricLinearSymmetries_OfLinearNet_AreExactlyTheQuadraticLaws()
    {
        var (phi, laws) = DynamicsFixtures.Linear(2, 3, 2);
        var grads = phi.Components.Select(p => PolynomialCalculus.Gradient(p, phi.Dimension)).ToList();
        var sym = LinearSymmetries.Solve(grads, phi.Dimension, antisymmetric: false);
        Assert.That(sym, Has.Length.EqualTo(laws.Count), "symmetric generators S ↔ laws ½θᵀSθ: r(r+1)/2 = 6");
    }

    [Test]
    public void BadInput_LawOutsideTheParameters_Throws()
    {
        var (phi, _) = DynamicsFixtures.Triple();
        var bad = new ConservationLaw("x5", Polynomial.Variable(5), "x5");
        var e = Assert.Throws<ArgumentException>(() => LawDynamics.Classify(phi, [bad], Flow.Gradient));
        Assert.That(e!.Message, Does.Contain("variable 5"));
    }

    private static Polynomial Sq(int v) => Polynomial.Variable(v, 2);

    private static Rational[,] ToArray(System.Collections.Immutable.ImmutableArray<System.Collections.Immutable.ImmutableArray<Rational>> rows)
    {
        var a = new Rational[rows.Length, rows.Length];
        for (int i = 0; i < rows.Length; i++) for (int j = 0; j < rows.Length; j++) a[i, j] = rows[i][j];
        return a;
    }
}
