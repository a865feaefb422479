using NoetherTheory.Laws.Dynamics;
using NoetherTheory.Mechanics;
using NoetherTheory.Symbolic;
using NoetherTheory.Testing;

namespace NoetherTheory.Laws.Tests.Dynamics;

/// <summary>The classification agrees with the toolkit's own Mechanics derivation (KSB of theory/03-noether.md#eq-3-2) for
/// the catalog symmetries it shares with a factorisation.</summary>
[TestFixture]
public sealed class MechanicsCrossCheckTests
{
    private static readonly Catalog TheCatalog = Catalog.Load(RepositoryPaths.Combine("theory", "catalog"));

    [Test]
    public void RescaleOfCatalogLinearNet_MechanicsBreaks_AndOurKsbIsTwiceItsTerm()
    {
        var r = Derivation.Run(TheCatalog, "heavy-ball", "rescale", ModelSpec.FromCatalog("linear-net"));
        Assert.That(r.Verdicts.KineticBreaking.Outcome, Is.EqualTo(VerdictKind.Breaks));

        // The catalog model: W1 = q[0..3] (2×2, row-major), W2 = q[4], q[5]; φ = W2·W1; rescale A1 = {0, 1}, A2 = {4}.
        static Polynomial Q(int i) => Polynomial.Variable(i);
        var phi = new Factorisation("linear-net", ["q0", "q1", "q2", "q3", "q4", "q5"],
            [(Q(4) * Q(0)) + (Q(5) * Q(2)), (Q(4) * Q(1)) + (Q(5) * Q(3))]);
        var h = Q(0).Pow(2) + Q(1).Pow(2) - Q(4).Pow(2);     // (U1U1ᵀ − U2ᵀU2)[0,0], i.e. 2·C of the rescale generator
        var v = LawDynamics.Classify(phi, [new ConservationLaw("unit 0", h, h.ToString())], Flow.Momentum).Verdicts[0];
        Assert.That(v.Fate, Is.EqualTo(LawFate.Lost));

        var rng = new Random(7);
        for (int trial = 0; trial < 5; trial++)
        {
            var values = new Dictionary<Symbol, double>();
            var ours = new double[12];
            for (int i = 0; i < 6; i++)
            {
                var c = Coordinate.Of(i);
                values[c.Q] = ours[i] = rng.NextDouble() - 0.5;
                values[c.QDot] = ours[6 + i] = rng.NextDouble() - 0.5;
            }
            foreach (var s in r.KineticBreaking.FreeSymbols().Concat(r.ModifiedEquation.Mass.FreeSymbols()))
                values.TryAdd(s, 0.3);
            double mass = r.ModifiedEquation.Mass.Evaluate(values);
            double mechanics = r.KineticBreaking.Evaluate(values);
            double mine = mass * new CompiledPolynomial(v.BreakingTerm!).Evaluate(ours);
            // ∇h = 2ξ for the catalog generator ξ = (q0, q1, 0, 0, −q4, 0), so m·θ̇ᵀ∇²hθ̇ = 2·m⟨q̇, D_t ξ⟩.
            NumericAssert.Close(2 * mechanics, mine, Tolerance.RoundOff);
        }
    }

    [Test]
    public void RotationOfCatalog_MechanicsPreserves_AndWeFindTheDecayingCharge()
    {
        var r = Derivation.Run(TheCatalog, "heavy-ball", "rotation", ModelSpec.Abstract);
        Assert.That(r.Verdicts.KineticBreaking.Outcome, Is.EqualTo(VerdictKind.Preserves));

        // φ = (q0² + q1², q2) is invariant under the catalog rotation in the (q0, q1) plane; it has no polynomial law.
        static Polynomial Q(int i) => Polynomial.Variable(i);
        var phi = new Factorisation("radial", ["q0", "q1", "q2"], [Q(0).Pow(2) + Q(1).Pow(2), Q(2)]);
        var c = LawDynamics.Classify(phi, [], Flow.Momentum);
        Assert.That(c.Charges, Has.Length.EqualTo(1));
        var k = c.Charges[0].Generator;
        Assert.That(k[0][1], Is.EqualTo(-k[1][0]));
        Assert.That(k[0][1].IsZero, Is.False);
        Assert.That(k[2].All(x => x.IsZero), Is.True, "the rotation does not touch q2");
    }
}
