using NoetherTheory.Symbolic;

namespace NoetherTheory.Benchmarks.Tests;

/// <summary>The core derivation the symbolic suite times (moved here from Mechanics with it).</summary>
[TestFixture]
public sealed class CoreDerivationTests
{
    /// <summary>
    /// The compiled right-hand side of the core derivation must cost O(n): ∇V's shared sums (Σ qᵢ(uᵢ − cᵢ)·…, Σ qᵢqᵢ₊₁)
    /// have to reach the compiler as single nodes. Doubling n from 16 to 32 doubles an O(n) DAG and quadruples an O(n²)
    /// one; 2.5 separates the two with room for the O(1) per-component overhead.
    /// </summary>
    [Test]
    public void CoreDerivation_CollectedAccelerations_GrowLinearly()
    {
        const double LinearGrowthBound = 2.5;
        static int Size(int n) => DagSize(((IReadOnlyList<Expr>)CoreDerivation.Run(n, new ZeroTestOptions { TryProof = false }).Accelerations).CollectCommonFactors());
        double ratio = (double)Size(32) / Size(16);
        Assert.That(ratio, Is.LessThan(LinearGrowthBound), "the compiled RHS DAG grows faster than linearly in n");
    }

    private static int DagSize(IEnumerable<Expr> roots)
    {
        var seen = new HashSet<Expr>();
        var stack = new Stack<Expr>(roots);
        while (stack.Count > 0)
        {
            var e = stack.Pop();
            if (seen.Add(e)) foreach (var c in e.Children) stack.Push(c);
        }
        return seen.Count;
    }

    [TestCase(2)]
    [TestCase(5)]
    public void CoreDerivationBenchmark_VerifiesTheScaleChargeLaw(int n)
    {
        var r = CoreDerivation.Run(n);
        Assert.That(r.Accelerations, Has.Length.EqualTo(n));
        Assert.That(r.ChargeCheck.IsZero, Is.True, r.ChargeCheck.ToString());
        Assert.That(r.Timings.Select(t => t.Stage), Is.EqualTo(new[] { "lagrangian", "euler-lagrange", "solve", "charge", "check" }));
    }}
