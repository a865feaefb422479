using System.Text.Json;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Cli.Tests;

/// <summary>`noether bench` on tiny configurations: it runs, prints well-formed tables and writes well-formed JSON. No test
/// asserts a speed (timings on a shared 2-core machine are not reproducible); the correctness checks that guard the
/// benchmarks (hand-written vs compiled RHS, ours vs SymPy, ours vs NumPy) are asserted through the JSON.</summary>
[TestFixture]
public sealed class BenchCommandTests
{
    private string _root = "";

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-bench-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private static bool DebianPythonHas(string module)
    {
        if (!File.Exists("/usr/bin/python3")) return false;
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", ["-c", "import " + module])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    [Test]
    public void Symbolic_SmallestSize_PrintsTablesWritesJson_ChecksHold()
    {
        string json = Path.Combine(_root, "bench.json");
        var run = CliRunner.Run("bench", "--suite", "symbolic", "--sizes", "2", "--out", json);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error + run.Out);
        Assert.That(run.Out, Does.Contain("## Symbolic: core derivation end to end"));
        Assert.That(run.Out, Does.Contain("## Symbolic: compiled RHS per call"));
        MarkdownTables.AssertWellFormed(run.Out, expectedTables: 3);

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var root = doc.RootElement;
        Assert.That(root.GetProperty("checksPassed").GetBoolean(), Is.True);
        var row = root.GetProperty("symbolic").EnumerateArray().Single();
        Assert.That(row.GetProperty("n").GetInt32(), Is.EqualTo(2));
        Assert.That(row.GetProperty("oursSeconds").GetDouble(), Is.GreaterThan(0));
        Assert.That(row.GetProperty("oursChargeCheck").GetString(), Is.EqualTo("Proven"), "n = 2 is small enough for the expansion proof");
        var rhs = row.GetProperty("rhs");
        Assert.That(rhs.GetProperty("handVsCompiledAgrees").GetBoolean(), Is.True, "hand-written RHS equals the compiled one to 1e-12");
        Assert.That(rhs.GetProperty("compiledSeconds").GetDouble(), Is.GreaterThan(0));
        Assert.That(rhs.GetProperty("timedCalls").GetInt64(), Is.GreaterThanOrEqualTo(100_000));
        if (DebianPythonHas("sympy"))
        {
            Assert.That(row.GetProperty("sympyStatus").GetString(), Is.EqualTo("ok"), row.ToString());
            Assert.That(row.GetProperty("sympyVerified").GetBoolean(), Is.True);
            Assert.That(rhs.GetProperty("oursVsSympyAgrees").GetBoolean(), Is.True, "our RHS equals SymPy's at SymPy's point to 1e-9");
            Assert.That(row.GetProperty("endToEndSpeedup").GetDouble(), Is.GreaterThan(0));
            Assert.That(row.GetProperty("oursOverSympy").GetDouble(), Is.GreaterThan(0));
        }
        if (MaximaInstalled())
        {
            Assert.That(row.GetProperty("maximaStatus").GetString(), Is.EqualTo("ok"), row.ToString());
            Assert.That(row.GetProperty("maximaVerified").GetBoolean(), Is.True);
            Assert.That(rhs.GetProperty("oursVsMaximaAgrees").GetBoolean(), Is.True, "our RHS equals Maxima's at its point to 1e-9");
            // Named when the bounds decide it: a Maxima run under its 10 ms clock tick gives only a lower bound on ours ÷ Maxima,
            // and then the peer stays unnamed with that bound (seen on a loaded machine).
            if (row.TryGetProperty("fastestPeer", out var peer) && peer.ValueKind == JsonValueKind.String)
                Assert.That(peer.GetString(), Is.AnyOf("SymPy", "Maxima"));
            else
                Assert.That(row.GetProperty("oursOverFastestPeerAtLeast").GetDouble(), Is.GreaterThan(0), row.ToString());
        }
    }

    private static bool MaximaInstalled() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, "maxima")));

    [Test]
    public void Symbolic_MaximaMissing_SaysMaximaNotAvailable_AndStillComparesWithSympy()
    {
        string json = Path.Combine(_root, "bench.json");
        var run = CliRunner.Run("bench", "--suite", "symbolic", "--sizes", "2", "--maxima", Path.Combine(_root, "no-such-maxima"), "--out", json);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error + run.Out);
        Assert.That(run.Out, Does.Contain("Maxima not available"));
        MarkdownTables.AssertWellFormed(run.Out, expectedTables: 3);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var row = doc.RootElement.GetProperty("symbolic")[0];
        Assert.That(row.GetProperty("maximaStatus").GetString(), Is.EqualTo("unavailable"));
        Assert.That(row.TryGetProperty("oursOverMaxima", out _), Is.False, "no ratio without Maxima");
    }

    [Test]
    public void Symbolic_PythonMissing_SaysSympyNotAvailable_AndStillTimesOurSide()
    {
        string json = Path.Combine(_root, "bench.json");
        var run = CliRunner.Run("bench", "--suite", "symbolic", "--sizes", "2", "--python", Path.Combine(_root, "no-such-python"), "--out", json);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error + run.Out);
        Assert.That(run.Out, Does.Contain("SymPy not available"));
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var row = doc.RootElement.GetProperty("symbolic")[0];
        Assert.That(row.GetProperty("sympyStatus").GetString(), Is.EqualTo("unavailable"));
        Assert.That(row.TryGetProperty("endToEndSpeedup", out _), Is.False, "no ratio without SymPy");
        Assert.That(row.GetProperty("rhs").GetProperty("handVsCompiledAgrees").GetBoolean(), Is.True);
    }

    [Test]
    public void Symbolic_SympyPastItsLimit_PrintsTimeout_InsteadOfHanging()
    {
        if (!DebianPythonHas("sympy")) Assert.Ignore("/usr/bin/python3 has no sympy (Debian python3-sympy)");
        // 50 ms is less than the interpreter's start-up and SymPy's import, so the run is always stopped.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var run = CliRunner.Run("bench", "--suite", "symbolic", "--sizes", "2", "--sympy-timeout", "0.05");
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error + run.Out);
        Assert.That(run.Out, Does.Contain("timeout (> 0.05 s)"));
        Assert.That(run.Error, Does.Contain("SymPy timeout"));
        Assert.That(clock.Elapsed.TotalSeconds, Is.LessThan(30), "the SymPy run was stopped, not waited for");
    }

    [Test]
    public void Integrators_Tiny_HeavyBallMatchesNumpy_JsonWellFormed()
    {
        string json = Path.Combine(_root, "bench.json");
        var run = CliRunner.Run("bench", "--suite", "integrators", "--rhs-size", "2", "--dimension", "64", "--steps", "200", "--repeats", "1", "--out", json);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error + run.Out);
        Assert.That(run.Out, Does.Contain("## Integrators: heavy ball"));
        MarkdownTables.AssertWellFormed(run.Out, expectedTables: 2);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var hb = doc.RootElement.GetProperty("integrators").GetProperty("heavyBall");
        Assert.That(hb.GetProperty("dimension").GetInt32(), Is.EqualTo(64));
        Assert.That(hb.GetProperty("oursStepsPerSecond").GetDouble(), Is.GreaterThan(0));
        Assert.That(doc.RootElement.GetProperty("integrators").GetProperty("rhs").GetProperty("handVsCompiledAgrees").GetBoolean(), Is.True);
        if (DebianPythonHas("numpy"))
        {
            Assert.That(hb.GetProperty("numpyStatus").GetString(), Is.EqualTo("ok"), hb.ToString());
            Assert.That(hb.GetProperty("agrees").GetBoolean(), Is.True, "the C# and NumPy loops run the same recurrence");
        }
    }

    [TestCase("--sizes", "1")]
    [TestCase("--sizes", "2,x")]
    [TestCase("--suite", "speed")]
    [TestCase("--sympy-timeout", "0")]
    [TestCase("--maxima-timeout", "-1")]
    public void BadOption_ExitsTwo_NamingTheOption(string option, string value)
    {
        var run = CliRunner.Run("bench", "--suite", "symbolic", option, value);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Out);
        Assert.That(run.Error, Does.Contain(option));
        Assert.That(run.Out, Does.Not.Contain("## Symbolic"), "nothing runs before the options are checked");
    }

    [Test, Category("Native")]
    public void Train_TinyCpu_ReportsAllThreeLoops()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
        string json = Path.Combine(_root, "bench.json");
        var run = CliRunner.Run("bench", "--suite", "train", "--batch-sizes", "4", "--image-size", "8", "--width", "0.125",
            "--train-steps", "1", "--rounds", "1", "--warmup", "0", "--torch-python", Path.Combine(_root, "no-such-python"), "--out", json);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error + run.Out);
        Assert.That(run.Out, Does.Contain("PyTorch not available"));
        MarkdownTables.AssertWellFormed(run.Out, expectedTables: 1);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var train = doc.RootElement.GetProperty("train");
        Assert.That(train.GetProperty("device").GetString(), Is.EqualTo("cpu"));
        var row = train.GetProperty("rows").EnumerateArray().Single();
        Assert.That(row.GetProperty("batchSize").GetInt32(), Is.EqualTo(4));
        foreach (var name in new[] { "torchSharpDefault", "ours", "oursMeasuredEveryStep" })
            Assert.That(row.GetProperty(name).GetDouble(), Is.GreaterThan(0), name);
    }

    [Test, Category("Native")]
    public void Train_CudaWithoutCuda_ExitsTwo_Explaining()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
        if (info.CudaAvailable) Assert.Ignore("a CUDA device is present: this test covers hosts without one");
        var run = CliRunner.Run("bench", "--suite", "train", "--device", "cuda");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Out);
        Assert.That(run.Error, Does.Contain("bench --suite train").And.Contain("CUDA"));
    }
}

/// <summary>Checks the Markdown pipe tables in a text: same cell count on every line of a table, a separator line second.</summary>
internal static class MarkdownTables
{
    public static void AssertWellFormed(string text, int expectedTables)
    {
        var tables = new List<List<string>>();
        List<string>? current = null;
        foreach (var line in text.Split('\n').Select(l => l.TrimEnd('\r')))
        {
            if (line.StartsWith('|'))
            {
                if (current is null) tables.Add(current = []);
                current.Add(line);
            }
            else
            {
                current = null;
            }
        }
        Assert.That(tables, Has.Count.EqualTo(expectedTables), text);
        foreach (var t in tables)
        {
            int cells = t[0].Count(c => c == '|');
            Assert.That(t, Has.Count.GreaterThanOrEqualTo(3), "header, separator and at least one row");
            Assert.That(t.Select(l => l.Count(c => c == '|')), Is.All.EqualTo(cells), string.Join('\n', t));
            Assert.That(t[1], Does.Match(@"^\|[-:|]+\|$"), "second line is the separator");
            Assert.That(t.All(l => l.EndsWith('|')), Is.True);
        }
    }
}
