using System.Text.Json;
using NoetherTheory.Testing;
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

    private string Write(string name, string text)
    {
        string path = Path.Combine(_root, name);
        File.WriteAllText(path, text);
        return path;
    }

    // The kept tiny MLP and its declared groups: one that holds (a subgroup of a discovered rescale), one broken by a bias
    // (measured too) and one refuted (not measured, as in training).
    private static readonly string TinyMlp = RepositoryPaths.Combine("validation", "models", "mlp-tiny.yaml");
    private static readonly string Declared = RepositoryPaths.Combine("validation", "models", "declared-mlp.yaml");

    [Test, Category("Native")]
    public void Groups_OwnNetworkAndDeclaredGroups_MeasuresEveryGroupNotRefuted()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
        string json = Path.Combine(_root, "bench.json");
        string model = TinyMlp, declared = Declared;
        var run = CliRunner.Run("bench", "--suite", "groups", "--network", model, "--declare", declared, "--batch-sizes", "8",
            "--train-steps", "2", "--rounds", "2", "--warmup", "1", "--out", json);
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Error + run.Out);
        MarkdownTables.AssertWellFormed(run.Out, expectedTables: 1);
        Assert.That(run.Out, Does.Not.Contain("VGG11-BN's measured loop"), "the VGG note only where VGG11-BN is benched");

        // What the bench measures is what `symmetries` finds: every group that is not refuted, declared ones included.
        var symmetries = CliRunner.Run("symmetries", "--model", model, "--declare", declared, "--points", "1", "--format", "json");
        Assert.That(symmetries.ExitCode, Is.EqualTo(0), symmetries.Error);
        var found = (NoetherTheory.Core.Documents.SymmetriesDocument)NoetherTheory.Core.Documents.ResultDocuments.Parse(symmetries.Out, "stdout");
        var measured = found.Groups.Where(g => g.Verdict != "refuted").ToList();
        Assert.That(measured.Select(g => g.Name), Does.Contain("declared:first-three-units").And.Contain("declared:rows-without-bias")
            .And.Not.Contain("declared:output-rows"));

        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        var groups = doc.RootElement.GetProperty("groups");
        Assert.That(groups.GetProperty("batchSize").GetInt32(), Is.EqualTo(8));
        var row = groups.GetProperty("rows").EnumerateArray().Single();
        Assert.That(row.GetProperty("model").GetString(), Does.StartWith("mlp (2 hidden × 6"));
        Assert.That(row.GetProperty("groups").GetInt32(), Is.EqualTo(measured.Count));
        Assert.That(row.GetProperty("generators").GetInt64(), Is.EqualTo(measured.Sum(g => g.Dimension)));
        foreach (var name in new[] { "unmeasured", "measuredEveryStep", "pairedRatio" })
            Assert.That(row.GetProperty(name).GetDouble(), Is.GreaterThan(0), name);
    }

    [TestCase("network", TestName = "{m}: a --network that does not exist")]
    [TestCase("declare", TestName = "{m}: a --declare that does not exist")]
    [TestCase("misfit", TestName = "{m}: a declared group that does not fit the network")]
    [TestCase("suite", TestName = "{m}: --network without the groups suite")]
    public void Groups_BadInput_ExitsTwo_SayingWhat(string what)
    {
        if (what == "misfit" && !TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
        string model = TinyMlp, missing = Path.Combine(_root, "nope.yaml");
        string[] args = what switch
        {
            "network" => ["bench", "--suite", "groups", "--network", missing],
            "declare" => ["bench", "--suite", "groups", "--network", model, "--declare", missing],
            "misfit" => ["bench", "--suite", "groups", "--network", model, "--declare",
                Write("bad.yaml", "groups:\n  - name: wrong\n    action: scale\n    tensors:\n      - parameter: layers.9.weight\n"),
                "--train-steps", "1", "--rounds", "1", "--warmup", "0"],
            _ => ["bench", "--suite", "symbolic", "--network", model],
        };
        var run = CliRunner.Run(args);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Out + run.Error);
        Assert.That(run.Error, what switch
        {
            "network" => Does.Contain("--network").And.Contain("does not exist"),
            "declare" => Does.Contain("--declare").And.Contain("does not exist"),
            "misfit" => Does.Contain("bench --suite groups").And.Contain("layers.9.weight"),
            _ => Does.Contain("--network applies to the groups suite"),
        });
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
