using NoetherTheory.Cli;

namespace NoetherTheory.Cli.Tests.MalformedInputs;

/// <summary>Bad argument lists for expr, derive, verify, report and simulate: each exits 2 with a message on stderr that
/// names the option or file at fault, and nothing escapes the CLI.</summary>
[TestFixture]
public sealed class CommandLineInputTests
{
    private static readonly string Missing = Path.Combine(Path.GetTempPath(), "noether-no-such-" + Guid.NewGuid().ToString("N"));

    // (arguments, a fragment stderr must contain)
    internal static IEnumerable<(string[] Args, string Expect)> Cases()
    {
        yield return (["expr"], "noether:");
        yield return (["expr", "eval"], "noether:");
        yield return (["expr", "frobnicate", "x"], "frobnicate");
        yield return (["expr", "diff", "x^2"], "--wrt");
        yield return (["expr", "diff", "x^2", "--wrt", "2"], "--wrt");
        yield return (["expr", "diff", "x^2", "--wrt", "NaN"], "NaN");
        yield return (["expr", "eval", "x"], "--at");
        yield return (["expr", "eval", "x", "--at", "x"], "--at");
        yield return (["expr", "eval", "x", "--at", "x=abc"], "abc");
        yield return (["expr", "eval", "x", "--at", "x=NaN"], "NaN");
        yield return (["expr", "eval", "x", "--at", "x=Infinity"], "Infinity");
        yield return (["expr", "eval", "x", "--at", "x=1e999"], "1e999");
        yield return (["expr", "eval", "x", "--at", "NaN=1"], "NaN");
        yield return (["expr", "eval", "x", "--at", "x=1,2=3"], "--at");
        yield return (["expr", "eval", "NaN + x", "--at", "x=1"], "NaN");
        yield return (["expr", "simplify", "x +"], "expression:1:");
        yield return (["expr", "latex", ""], "expression");
        yield return (["expr", "zero", "inf - inf"], "inf");
        yield return (["expr", "eval", "x", "--format", "xml"], "xml");
        yield return (["derive"], "--rule");
        yield return (["derive", "--rule", "nope", "--symmetry", "scale"], "nope");
        yield return (["derive", "--rule", "gd", "--symmetry", "nope"], "nope");
        yield return (["derive", "--rule", "gd", "--symmetry", "scale", "--model", "nope"], "nope");
        yield return (["derive", "--rule", "gd", "--symmetry", "scale", "--potential", "q[0] +"], "potential");
        yield return (["derive", "--rule", "gd", "--symmetry", "scale", "--potential", "NaN*q[0]"], "NaN");
        yield return (["derive", "--rule", "gd", "--symmetry", "scale", "--potential", "eta*q[0]"], "reserved");
        yield return (["derive", "--all", "--catalog", Missing], Missing);
        yield return (["derive", "--all", "--catalog", "/etc"], "not a catalog folder");
        yield return (["derive", "--all", "--format", "yaml"], "yaml");
        yield return (["derive", "--bogus"], "--bogus");
        yield return (["verify", "--suite", "nope"], "nope");
        yield return (["verify", "--cases", Missing], Missing);
        yield return (["verify", "--cases", "/etc"], "noether:");
        yield return (["report"], "noether:");
        yield return (["report", "--from", Missing, "--out", Missing + "-out"], Missing);
        yield return (["report", "--from", "/etc", "--out", Missing + "-out"], "/etc");
        yield return (["report", "--from", "/etc/hostname", "--out", Missing + "-out"], "not JSON");
        yield return (["report", "--feature", "a:b", "--from", "/etc", "--out", Missing + "-out"], "a folder must hold");
        yield return (["simulate"], "noether:");
        yield return (["simulate", "--model", "nope", "--lr", "0.1", "--steps", "10"], "nope");
        yield return (["simulate", "--model", "rayleigh", "--lr", "0.1", "--steps", "abc"], "abc");
        yield return (["simulate", "--model", "rayleigh", "--lr", "0.1", "--steps", "2000000000"], "limit");
        yield return (["simulate", "--model", "rayleigh", "--lr", "0.1", "--steps", "99999999999"], "99999999999");
        yield return (["simulate", "--model", "rayleigh", "--lr", "0.1", "--steps", "5000000", "--every", "1"], "--every");
        yield return (["simulate", "--model", "rayleigh", "--lr", "0.1", "--steps", "-1"], "noether:");
        yield return (["simulate", "--model", "rayleigh", "--lr", "0.1", "--steps", "10", "--every", "0"], "noether:");
        yield return (["simulate", "--model", "rayleigh", "--lr", "0.1", "--steps", "10", "--optimizer", "lion"], "lion");
        yield return (["simulate", "--model", "rayleigh", "--steps", "10", "--lr", "NaN"], "noether:");
        yield return (["simulate", "--model", "rayleigh", "--steps", "10", "--lr", "-1"], "noether:");
        yield return (["simulate", "--model", "rayleigh", "--lr", "0.1", "--steps", "10", "--predict", "nope"], "nope");
    }

    private static IEnumerable<TestCaseData> CaseData() =>
        Cases().Select(c => new TestCaseData(c.Args, c.Expect).SetName("noether " + string.Join(' ', c.Args).Replace(Missing, "<missing>", StringComparison.Ordinal)));

    internal static int InputCount => Cases().Count();

    [TestCaseSource(nameof(CaseData))]
    public void A_bad_argument_list_exits_2_with_a_message(string[] args, string expect)
    {
        var outcome = Bounded.Cli(args, string.Join(' ', args));
        Assert.That(outcome.ExitCode, Is.EqualTo(ExitCodes.BadInput), outcome.Out + outcome.Error);
        Assert.That(outcome.Error, Does.StartWith("noether:"));
        Assert.That(outcome.Error, Does.Contain(expect));
    }
}
