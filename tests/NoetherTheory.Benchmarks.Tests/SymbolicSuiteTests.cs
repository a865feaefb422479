using System.Globalization;
using System.Text.Json;
using NoetherTheory.Testing;

namespace NoetherTheory.Benchmarks.Tests;

/// <summary>The symbolic suite's rows: ours ÷ each peer (like with like), the fastest peer, bounds from a peer stopped at its
/// limit, the peers' checks; and the Maxima reference script itself, run when Debian's maxima is installed (ignored otherwise).</summary>
[TestFixture]
public sealed class SymbolicSuiteTests
{
    // Quotients of a few doubles: a few ulps.
    private static readonly Tolerance Quotient = new(0, 1e-14);

    private static readonly ReferenceScripts Scripts = new(RepositoryPaths.Combine("bench", "reference"));

    private static readonly ReferenceRun Missing = new(ReferenceOutcome.Unavailable, null, "not installed", 0);

    private static OurDerivation _ours = null!;

    [OneTimeSetUp]
    public static void DeriveOnce() => _ours = OurDerivation.Run(2);

    private static ReferenceRun Finished(string json) => new(ReferenceOutcome.Ok, JsonDocument.Parse(json).RootElement.Clone(), "", 1.0);

    private static ReferenceRun SympyRun(double total, bool verified = true) => Finished(
        $$"""{"n": 2, "verified": {{(verified ? "true" : "false")}}, "total_s": {{total.ToString("R", CultureInfo.InvariantCulture)}}, "stages": {"euler_lagrange_s": 0.1, "solve_s": 0.1, "charge_check_s": 0.1, "compile_s": 0.1}, "sympy": "1.11"}""");

    private static ReferenceRun MaximaRun(double total, bool verified = true) => Finished(
        $$"""{"n": 2, "verified": {{(verified ? "true" : "false")}}, "total_s": {{total.ToString("R", CultureInfo.InvariantCulture)}}, "stages": {"euler_lagrange_s": 0.0, "solve_s": 0.01, "charge_check_s": 0.01}, "maxima": "5.46.0", "clock_resolution_s": 0.01}""");

    private static RhsRow Rhs() => RhsRow.From(new RhsTiming(2, new CallTiming(1e-8, 1e-8, 1), new CallTiming(1e-8, 1e-8, 1), null, 0, null, 0));

    [Test]
    public void MakeRow_BothPeersFinished_OursOverEach_LikeWithLike_FastestHasTheLargerRatio()
    {
        // Peer times relative to ours (our own times vary with load): ours ÷ SymPy = 0.01, ours ÷ Maxima = 0.1.
        double sympy = _ours.TotalSeconds * 100, maxima = _ours.Derivation.Total.TotalSeconds * 10;
        var row = SymbolicSuite.MakeRow(_ours, SympyRun(sympy), MaximaRun(maxima), Rhs());
        NumericAssert.Close(_ours.TotalSeconds / sympy, row.OursOverSympy!.Value, Quotient);
        NumericAssert.Close(_ours.Derivation.Total.TotalSeconds / maxima, row.OursOverMaxima!.Value, Quotient);
        Assert.That(row.OursDerivationSeconds, Is.LessThan(row.OursSeconds), "Maxima's ratio leaves our compile stage out");
        Assert.That(row.FastestPeer, Is.EqualTo("Maxima"));
        Assert.That(row.OursOverFastestPeer, Is.EqualTo(row.OursOverMaxima));
        Assert.That(row.OursOverFastestPeerAtMost, Is.Null);
        Assert.That((row.SympyVerified, row.MaximaVerified, row.MaximaVersion, row.MaximaClockResolutionSeconds), Is.EqualTo((true, true, "5.46.0", 0.01)));
        Assert.That(row.ChecksPass, Is.True);
    }

    [Test]
    public void MakeRow_MaximaPastItsLimit_BoundsItsRatio_WithoutStartUp()
    {
        var timedOut = new ReferenceRun(ReferenceOutcome.Timeout, null, "maxima_symbolic.mac ran past 120 s and was stopped", 121.0);
        var row = SymbolicSuite.MakeRow(_ours, SympyRun(0.5), timedOut, Rhs());
        Assert.That(row.MaximaStatus, Is.EqualTo("timeout"));
        Assert.That(row.OursOverMaxima, Is.Null);
        NumericAssert.Close(_ours.Derivation.Total.TotalSeconds / (121.0 - SymbolicSuite.StartUpAllowanceSeconds), row.OursOverMaximaAtMost!.Value, Quotient);
        Assert.That(row.FastestPeer, Is.EqualTo("SymPy"), "a peer that finished in 0.5 s is faster than one stopped after 120 s");
        Assert.That(row.MaximaVerified, Is.Null, "a stopped run concludes nothing");
        Assert.That(row.ChecksPass, Is.True);
    }

    [Test]
    public void MakeRow_BothPastTheirLimits_FastestUnnamed_RatioBoundedByTheLargerBound()
    {
        var sympy = new ReferenceRun(ReferenceOutcome.Timeout, null, "stopped", 31.0);
        var maxima = new ReferenceRun(ReferenceOutcome.Timeout, null, "stopped", 11.0);
        var row = SymbolicSuite.MakeRow(_ours, sympy, maxima, Rhs());
        Assert.That(row.FastestPeer, Is.Null, "which peer is faster is unknown");
        Assert.That(row.OursOverFastestPeer, Is.Null);
        NumericAssert.Close(Math.Max(_ours.TotalSeconds / 30.0, _ours.Derivation.Total.TotalSeconds / 10.0), row.OursOverFastestPeerAtMost!.Value, Quotient);
        NumericAssert.Close(_ours.TotalSeconds / 30.0, row.EndToEndSpeedupAtLeast is { } b ? 1 / b : double.NaN, Quotient);
    }

    [Test]
    public void MakeRow_MaximaUnderOneTick_BoundsItsRatioFromBelow_AndIsFastestWhenTheBoundSaysSo()
    {
        // Maxima read 0 s on a 10 ms clock: ours ÷ Maxima > our derivation / 10 ms; SymPy is set far slower.
        var row = SymbolicSuite.MakeRow(_ours, SympyRun(_ours.TotalSeconds * 1e6), MaximaRun(0), Rhs());
        Assert.That(row.OursOverMaxima, Is.Null);
        NumericAssert.Close(_ours.Derivation.Total.TotalSeconds / 0.01, row.OursOverMaximaAtLeast!.Value, Quotient);
        Assert.That(row.FastestPeer, Is.EqualTo("Maxima"));
        Assert.That(row.OursOverFastestPeerAtLeast, Is.EqualTo(row.OursOverMaximaAtLeast));
        Assert.That(row.OursOverFastestPeer, Is.Null);
    }

    [Test]
    public void MakeRow_MaximaUnderOneTick_SympyRatioLarger_FastestUnknown_BoundedBelow()
    {
        // ours ÷ SymPy set to twice Maxima's lower bound (our derivation / 10 ms): it exceeds the bound, but Maxima's true ratio may be larger.
        double maximaBound = _ours.Derivation.Total.TotalSeconds / 0.01;
        var row = SymbolicSuite.MakeRow(_ours, SympyRun(_ours.TotalSeconds / (2 * maximaBound)), MaximaRun(0), Rhs());
        Assert.That(row.FastestPeer, Is.Null);
        Assert.That(row.OursOverFastestPeerAtLeast, Is.EqualTo(row.OursOverSympy));
    }

    [Test]
    public void MakeRow_NoPeer_NoRatios()
    {
        var row = SymbolicSuite.MakeRow(_ours, Missing, Missing, Rhs());
        Assert.That(new[] { row.OursOverSympy, row.OursOverSympyAtMost, row.OursOverMaxima, row.OursOverMaximaAtMost, row.OursOverFastestPeer }, Is.All.Null);
        Assert.That(row.FastestPeer, Is.Null);
        Assert.That((row.SympyStatus, row.MaximaStatus), Is.EqualTo(("unavailable", "unavailable")));
    }

    [TestCase(false, true)]
    [TestCase(true, false)]
    public void MakeRow_APeerFindsTheIdentityFalse_ChecksFail(bool sympyVerified, bool maximaVerified)
    {
        var row = SymbolicSuite.MakeRow(_ours, SympyRun(0.5, sympyVerified), MaximaRun(0.02, maximaVerified), Rhs());
        Assert.That(row.ChecksPass, Is.False);
    }

    [Test, SetCulture("de-DE")]
    public void Print_RatiosBelowOne_KeepThreeSignificantDigits_Invariant()
    {
        Assert.That(Fmt.SmallRatio(0.0026987), Is.EqualTo("0.00270×"));
        Assert.That(Fmt.SmallRatio(0.512), Is.EqualTo("0.512×"));
        Assert.That(Fmt.SmallRatio(4.2), Is.EqualTo("4.20×"));
    }

    [TestCase(2)]
    [TestCase(3)]
    public void MaximaScript_SmallN_OutputParsed_ProvesTheIdentity_AndSolvesTheSameQdd(int n)
    {
        var ours = OurDerivation.Run(n);
        var run = SymbolicSuite.RunMaxima(ReferenceScripts.Maxima, Scripts.Locate("maxima_symbolic.mac"), n, TimeSpan.FromMinutes(1));
        if (run.Outcome == ReferenceOutcome.Unavailable) Assert.Ignore($"Debian's maxima is not installed ({run.Detail}); apt-get install maxima");
        Assert.That(run.Outcome, Is.EqualTo(ReferenceOutcome.Ok), run.Detail);
        var row = SymbolicSuite.MakeRow(ours, Missing, run, RhsRow.From(RhsTiming.Measure(ours, Missing, run)));
        Assert.That(row.MaximaStatus, Is.EqualTo("ok"));
        Assert.That(row.MaximaVerified, Is.True, "rat(dQ/dt − e^{t/τ} m |q̇|²) = 0 on-shell");
        Assert.That(row.MaximaVersion, Does.Match(@"^\d+\.\d+"));
        Assert.That(row.MaximaSeconds, Is.GreaterThanOrEqualTo(0));
        Assert.That(row.MaximaStages!.Keys, Is.EquivalentTo(new[] { "euler_lagrange_s", "solve_s", "charge_check_s" }));
        Assert.That(row.MaximaClockResolutionSeconds, Is.GreaterThan(0));
        Assert.That(row.Rhs.OursVsMaximaAgrees, Is.True, $"our q̈ equals Maxima's at its point to {RhsTiming.MaximaTolerance:0e+0} (rel. {row.Rhs.OursVsMaximaRelDiff})");
    }

    [Test]
    public void MaximaScript_ProgramMissing_IsUnavailable_NotFailed()
    {
        var run = SymbolicSuite.RunMaxima(Path.Combine(Path.GetTempPath(), "no-such-maxima"), Scripts.Locate("maxima_symbolic.mac"), 2, TimeSpan.FromSeconds(10));
        Assert.That(run.Outcome, Is.EqualTo(ReferenceOutcome.Unavailable));
        Assert.That(run.Cell, Is.EqualTo("n/a"));
    }
}
