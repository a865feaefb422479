using NoetherTheory.Symbolic;

namespace NoetherTheory.Symbolic.Tests;

/// <summary>Zero tests on expressions with half-integer powers (√(Σq²) and its odd powers, as in scale-invariant losses):
/// each radical base b becomes r with r² = b, so these identities are decided exactly instead of numerically.</summary>
[TestFixture]
public sealed class RadicalZeroTestTests
{
    /// <summary>⟨∇f, q⟩ for the cosine loss f = ⟨a, q⟩/|q| in three dimensions (Euler's relation for degree 0).</summary>
    private const string CosineLossSymmetry =
        "q[0]*(a[0]/(q[0]^2 + q[1]^2 + q[2]^2)^(1/2) - q[0]*(a[0]*q[0] + a[1]*q[1] + a[2]*q[2])/(q[0]^2 + q[1]^2 + q[2]^2)^(3/2))"
        + " + q[1]*(a[1]/(q[0]^2 + q[1]^2 + q[2]^2)^(1/2) - q[1]*(a[0]*q[0] + a[1]*q[1] + a[2]*q[2])/(q[0]^2 + q[1]^2 + q[2]^2)^(3/2))"
        + " + q[2]*(a[2]/(q[0]^2 + q[1]^2 + q[2]^2)^(1/2) - q[2]*(a[0]*q[0] + a[1]*q[1] + a[2]*q[2])/(q[0]^2 + q[1]^2 + q[2]^2)^(3/2))";

    [Test]
    public void Run_CosineLossSymmetry_ProvenWithRadicalRelation()
    {
        var r = ZeroTest.Run(Expr.Parse(CosineLossSymmetry));
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.Proven), r.ToString());
        Assert.That(r.Evidence, Does.Contain("r² = b"));
    }

    [Test]
    public void Run_CosineLossSymmetry_ProbablyZeroWithoutProof()
    {
        var r = ZeroTest.Run(Expr.Parse(CosineLossSymmetry), new ZeroTestOptions { TryProof = false });
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.ProbablyZero), r.ToString());
        Assert.That(r.FailureProbabilityBound, Is.LessThan(1e-12), r.ToString());
        Assert.That(r.Evidence, Does.Contain("Q[r]/(r² − b)"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public void Run_WrongRadicalIdentity_NonZero(bool tryProof)
    {
        // The cosine-loss identity with the 3/2 power replaced by 1/2 is false.
        var e = Expr.Parse(CosineLossSymmetry.Replace("^(3/2)", "^(1/2)", StringComparison.Ordinal));
        var r = ZeroTest.Run(e, new ZeroTestOptions { TryProof = tryProof });
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.NonZero), r.ToString());
        Assert.That(r.Witness, Is.Not.Null);
        Assert.That(Math.Abs(e.Evaluate(r.Witness!)), Is.GreaterThan(0), "the witness really is a non-zero point");
    }

    [TestCase("(x^2 + 1)^(3/2) - x^2*(x^2 + 1)^(1/2) - (x^2 + 1)^(1/2)")]
    [TestCase("x^2*(x^2 + y^2)^(-1/2) + y^2*(x^2 + y^2)^(-1/2) - (x^2 + y^2)^(1/2)")]
    [TestCase("1/(1 + (x^2 + 1)^(1/2)) - ((x^2 + 1)^(1/2) - 1)/x^2")]
    [TestCase("((x^2 + 1)^(1/2) + (y^2 + 2)^(1/2))^2 - x^2 - y^2 - 3 - 2*(x^2 + 1)^(1/2)*(y^2 + 2)^(1/2)")]
    [TestCase("exp(x)*(x^2 + 1)^(5/2) - exp(x)*x^4*(x^2 + 1)^(1/2) - 2*exp(x)*x^2*(x^2 + 1)^(1/2) - exp(x)*(x^2 + 1)^(1/2)")]
    public void Run_RadicalIdentities_DecidedExactly(string text)
    {
        var e = Expr.Parse(text);
        foreach (var tryProof in new[] { true, false })
        {
            var r = ZeroTest.Run(e, new ZeroTestOptions { TryProof = tryProof });
            Assert.That(r.Kind, Is.AnyOf(ZeroTestKind.Proven, ZeroTestKind.ProbablyZero), $"TryProof={tryProof}: {r}");
            if (!tryProof) Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.ProbablyZero), r.ToString());
        }
    }

    [Test]
    public void Run_RationalisedDenominator_ProbablyZeroByRingInverse()
    {
        // 1/(1 + r) = (r − 1)/(r² − 1) needs the conjugate inverse in Q[r]/(r² − b).
        var r = ZeroTest.Run(Expr.Parse("1/(1 + (x^2 + 1)^(1/2)) - ((x^2 + 1)^(1/2) - 1)/x^2"), new ZeroTestOptions { TryProof = false });
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.ProbablyZero), r.ToString());
    }

    [Test]
    public void Run_SquareRootOfASquare_IsNotClaimedZero()
    {
        // √(x²) = |x| ≠ x for real x: the relation r² = x² must not turn this into a false "zero".
        var r = ZeroTest.Run(Expr.Parse("(x^2)^(1/2) - x"));
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.NonZero), r.ToString());
    }

    [Test]
    public void Run_PerfectSquareRadicand_FallsBackToFloatAndIsNotCalledNonZero()
    {
        // √((x+1)²) = x + 1 for positive x, but r − (x + 1) is not zero modulo r² = (x+1)²: the exact step cannot decide.
        var x = Expr.Symbol("x", assumptions: SymbolAssumptions.Positive);
        var e = Expr.Sqrt(Expr.Pow(x, 2) + 2 * x + 1) - (x + 1);
        var r = ZeroTest.Run(e);
        Assert.That(r.Kind, Is.EqualTo(ZeroTestKind.NumericallyZero), r.ToString());
        Assert.That(r.Evidence, Does.Contain("does not decide"));
    }

    [Test]
    public void Run_TooManyRadicals_StillDecidedNumerically()
    {
        var parts = Enumerable.Range(1, Radicals.MaxRadicals + 2).Select(i => $"(x^2 + {i})^(3/2) - (x^2 + {i})*(x^2 + {i})^(1/2)");
        var r = ZeroTest.Run(Expr.Parse(string.Join(" + ", parts)), new ZeroTestOptions { TryProof = false });
        Assert.That(r.IsZero, Is.True, r.ToString());
    }
}
