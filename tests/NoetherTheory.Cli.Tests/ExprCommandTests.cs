using System.Globalization;
using System.Text.Json;
using NoetherTheory.Testing;

namespace NoetherTheory.Cli.Tests;

[TestFixture]
public sealed class ExprCommandTests
{
    [Test]
    public void Diff_OfProduct_PrintsDerivative_AndItEvaluatesCorrectly()
    {
        var diff = CliRunner.Run("expr", "diff", "x^3*sin(y)", "--wrt", "x");
        Assert.That(diff.ExitCode, Is.EqualTo(ExitCodes.Ok), diff.Error);
        // Evaluate the printed derivative through the CLI again: 3 x² sin y at x = 2, y = 0.5.
        var eval = CliRunner.Run("expr", "eval", diff.Out.Trim(), "--at", "x=2,y=0.5");
        Assert.That(eval.ExitCode, Is.EqualTo(ExitCodes.Ok), eval.Error);
        NumericAssert.Close(12 * Math.Sin(0.5), double.Parse(eval.Out.Trim(), CultureInfo.InvariantCulture), Tolerance.RoundOff);
    }

    [Test]
    public void Zero_OfTrigIdentity_IsZero_InJson()
    {
        var r = CliRunner.Run("expr", "zero", "sin(x)^2 + cos(x)^2 - 1", "--format", "json");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.That(doc.RootElement.GetProperty("isZero").GetBoolean(), Is.True, r.Out);
        Assert.That(doc.RootElement.GetProperty("operation").GetString(), Is.EqualTo("zero"));
    }

    [Test]
    public void Zero_OfNonZero_GivesWitness()
    {
        var r = CliRunner.Run("expr", "zero", "(x+1)^2 - x^2 - 1 - x", "--format", "json");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.That(doc.RootElement.GetProperty("result").GetString(), Is.EqualTo("nonZero").IgnoreCase);
        Assert.That(doc.RootElement.GetProperty("witness").EnumerateObject().Select(p => p.Name), Does.Contain("x"));
    }

    [Test]
    public void Latex_OfGreekAndFraction_UsesLatexCommands()
    {
        var r = CliRunner.Run("expr", "latex", "exp(t/tau)*m/2");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.Ok), r.Error);
        Assert.That(r.Out, Does.Contain("\\tau"));
    }

    [TestCase("x^^2")]
    [TestCase("sin(x")]
    [TestCase("")]
    public void BadExpression_ExitsTwo_WithPosition(string text)
    {
        var r = CliRunner.Run("expr", "eval", text, "--at", "x=1");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Match(@"expression:\d+:\d+"), "the message gives line:column");
        Assert.That(r.Out, Is.Empty);
    }

    [Test]
    public void Eval_MissingValue_ExitsTwo_AndNamesSymbol()
    {
        var r = CliRunner.Run("expr", "eval", "x + y", "--at", "x=1");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("'y'"));
    }

    [Test]
    public void Diff_WithoutWrt_ExitsTwo()
    {
        var r = CliRunner.Run("expr", "diff", "x^2");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
        Assert.That(r.Error, Does.Contain("--wrt"));
    }

    [Test]
    public void UnknownOperation_ExitsTwo()
    {
        var r = CliRunner.Run("expr", "integrate", "x");
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput));
    }

    [Test]
    [SetCulture("de-DE")]
    public void Eval_UnderCommaCulture_PrintsInvariantNumbers()
    {
        var r = CliRunner.Run("expr", "eval", "x/4", "--at", "x=1");
        Assert.That(r.Out.Trim(), Is.EqualTo("0.25"));
    }
}
