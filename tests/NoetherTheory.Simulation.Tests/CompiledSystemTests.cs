using CsCheck;
using NoetherTheory.Mechanics;
using NoetherTheory.Numerics.Models;
using NoetherTheory.Simulation.Compiled;
using NoetherTheory.Symbolic;
using static NoetherTheory.Simulation.Tests.CompiledTestSupport;

namespace NoetherTheory.Simulation.Tests;

[TestFixture]
public sealed class CompiledSystemTests
{
    /// <summary>
    /// Compiled and hand-written gradients are two orderings of a few dozen flops on O(1) values, so they agree to
    /// ~1e-15 relative; reconstructing q̈ = −(g + μq̇ + κq)/m divides by m and can cancel the three terms, so the bound is
    /// taken relative to Σ|terms|/m. 1e-12 leaves a margin of ~1000 over double round-off and is far below any
    /// modelling error (a wrong constant or sign shows up at O(1)).
    /// </summary>
    private const double RoundOff = 1e-12;

    private static IEnumerable<TestCaseData> Pairs() => from id in ModelCorrespondence.CatalogIds
                                                        from rule in new[] { "gd", "heavy-ball" }
                                                        select new TestCaseData(id, rule).SetArgDisplayNames(id, rule);

    [TestCaseSource(nameof(Pairs))]
    public void CompiledAccelerations_EqualHandWrittenGradient_AtRandomPoints(string modelId, string rule)
    {
        var pair = ModelCorrespondence.For(modelId);
        double eta = 0.05, beta = rule == "gd" ? 0 : 0.9, k = 0.03;
        double m = eta * (1 + beta) / 2, mu = 1 - beta;     // theory/01-learning-lagrangian.md#eq-1-8
        var symmetry = CompiledTestSupport.Catalog.Model(modelId).Symmetries[0].SymmetryId;
        var system = CompiledSystem.From(Derive(rule, symmetry, modelId), Values(pair, eta, beta, k));
        int n = system.Dimension;
        Assert.That(n, Is.EqualTo(pair.Toy.Dimension), "catalog and toy dimensions");
        Gen.Select(Gen.Double[-2.0, 2.0].Array[n], Gen.Double[-2.0, 2.0].Array[n])
            .Where((q, _) => Math.Sqrt(q.Sum(x => x * x)) > 0.3)   // scale-invariant losses are singular at q = 0
            .Sample((q, qdot) =>
            {
                var g = new double[n];
                pair.Toy.Gradient(q, g, GradientContext.FullBatch);
                var qdd = new double[n];
                system.Accelerations(0.7, q, qdot, qdd);
                for (int i = 0; i < n; i++)
                {
                    double expected = -(g[i] + mu * qdot[i] + k * q[i]) / m;
                    double scale = (Math.Abs(g[i]) + Math.Abs(mu * qdot[i]) + Math.Abs(k * q[i]) + 1) / m;
                    Assert.That(qdd[i], Is.EqualTo(expected).Within(RoundOff * scale), $"q̈[{i}] of {modelId}/{rule} at q = [{string.Join(", ", q)}]");
                }
            }, iter: 200);
    }

    [TestCaseSource(nameof(Pairs))]
    public void CompiledGradientFlow_EqualsHandWrittenGradient(string modelId, string rule)
    {
        var pair = ModelCorrespondence.For(modelId);
        double beta = rule == "gd" ? 0 : 0.5, k = 0.02;
        var symmetry = CompiledTestSupport.Catalog.Model(modelId).Symmetries[0].SymmetryId;
        var flow = CompiledFlow.From(Derive(rule, symmetry, modelId), FlowKind.GradientFlow, Values(pair, 0.1, beta, k));
        int n = flow.Dimension;
        Gen.Double[-2.0, 2.0].Array[n].Where(q => Math.Sqrt(q.Sum(x => x * x)) > 0.3).Sample(q =>
        {
            var rhs = flow.CreateRhs();   // CsCheck samples on several threads; a right-hand side owns scratch buffers
            var g = new double[n];
            pair.Toy.Gradient(q, g, GradientContext.FullBatch);
            var v = new double[n];
            rhs(0, q, v);
            for (int i = 0; i < n; i++)
                Assert.That(v[i], Is.EqualTo(-(g[i] + k * q[i]) / (1 - beta)).Within(RoundOff * (Math.Abs(g[i]) + 1) / (1 - beta)), $"q̇[{i}]");
        }, iter: 100);
    }

    [Test]
    public void MissingParameter_IsNamedInTheError()
    {
        var d = Derive("heavy-ball", "scale", "cosine");
        var values = new Dictionary<string, double> { ["eta"] = 0.1, ["beta"] = 0.9, ["k"] = 0, ["a[0]"] = 1, ["a[2]"] = 0 };
        var ex = Assert.Throws<NoetherTheoryException>(() => CompiledSystem.From(d, values));
        Assert.That(ex!.Message, Does.Contain("a[1]").And.Contain("no value"));
    }

    [Test]
    public void NonFiniteParameter_IsRejectedWithItsName()
    {
        var pair = ModelCorrespondence.For("linear-scalar");
        var values = Values(pair, double.NaN, 0, 0);
        var ex = Assert.Throws<NoetherTheoryException>(() => CompiledSystem.From(Derive("gd", "rescale", "linear-scalar"), values));
        Assert.That(ex!.Message, Does.Contain("eta").And.Contain("not finite"));
    }

    [Test]
    public void AbstractDerivation_CannotBeCompiled()
    {
        var d = Derivation.Run(CompiledTestSupport.Catalog, "gd", "scale", ModelSpec.Abstract);
        var ex = Assert.Throws<NoetherTheoryException>(() => CompiledSystem.From(d, new Dictionary<string, double>()));
        Assert.That(ex!.Message, Does.Contain("abstract"));
    }

    [Test]
    public void BareEquations_CompileWithoutCharge_AndSayWhyChargeIsMissing()
    {
        var d = Derive("gd", "rescale", "linear-scalar");
        var system = CompiledSystem.From(d.Equations, Values(ModelCorrespondence.For("linear-scalar"), 0.1, 0, 0));
        Assert.That(system.HasCharge, Is.False);
        Assert.Throws<InvalidOperationException>(() => system.Charge(0, new double[4]));
    }

    [Test]
    public void UnknownModelPair_ListsTheKnownOnes()
    {
        var ex = Assert.Throws<NoetherTheoryException>(() => ModelCorrespondence.For("softmax"));
        Assert.That(ex!.Message, Does.Contain("cosine").And.Contain("linear-scalar"));
    }
}
