using NoetherTheory.Core.Documents;
using NoetherTheory.Testing;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Cli.Tests;

[TestFixture, Category("Native")]
public sealed class ValidateCommandTests
{
    // ε = 0: ⟨w,g⟩ is float32 back-propagation round-off (≈ 1e-8 relative to |w||g| measured); ε = 0.1 breaks the symmetry at
    // ≈ ε/(Var+ε) ≈ 1e-2. 1e-5 separates the two by three decades either way.
    private const double RoundOffCosine = 1e-5;

    private string _root = "";

    [OneTimeSetUp]
    public void RequireTorch()
    {
        if (!TorchRuntime.TryLoad(out var info)) Assert.Ignore("libtorch unavailable:" + Environment.NewLine + info.Trace);
    }

    [SetUp]
    public void MakeFolder() => _root = Directory.CreateTempSubdirectory("noether-validate-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_root, recursive: true);

    private static string TestProtocol => RepositoryPaths.Combine("validation", "experiments", "test-tiny.yaml");

    [Test]
    public void Validate_TestProtocol_ExactIdentitiesHold_SummaryWritten_RerunReusesCells()
    {
        string outDir = Path.Combine(_root, "out");
        var first = CliRunner.Run("validate", "--experiment", TestProtocol, "--out", outDir, "--jobs", "2");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.Error + first.Out);
        Assert.That(first.Out, Does.Contain("synthetic images"), "the data set is named in the output");
        string threads = string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(TorchRuntime.OpenMpThreadsVariable))
            ? $"{TorchRuntime.ThreadsPerJob(Environment.ProcessorCount, 2)} CPU thread" : "(OMP_NUM_THREADS)";
        Assert.That(first.Error, Does.Contain(threads), "two concurrent cells share the cores instead of each taking all of them");

        var summary = ResultDocuments.Read<ValidateDocument>(Path.Combine(outDir, "summary.json"));
        Assert.That(summary.Kind, Is.EqualTo("noether.validate/1"));
        Assert.That(summary.Cells, Has.Count.EqualTo(26));
        var filters = summary.Filters.ToDictionary(f => f.Cell, f => f.Report);
        foreach (var report in filters.Values)
        {
            Assert.That(report.RecursionPairs, Is.GreaterThan(0));
            Assert.That(report.RecursionHolds, Is.True, "exact HB recursion on float32 weights");
        }
        double Cosine(string cell) => filters[cell].Layers.Max(l => l.SymmetryCosine.Median);
        Assert.That(Cosine("filters-eps0"), Is.LessThan(RoundOffCosine), "ε = 0: exact scale symmetry");
        Assert.That(Cosine("filters-eps"), Is.GreaterThan(RoundOffCosine), "ε = 0.1 breaks it measurably");
        foreach (string cell in new[] { "filters-eps", "filters-eps0" })
        {
            Assert.That(filters[cell].EpsilonSamples, Is.GreaterThan(0), cell);
            Assert.That(filters[cell].EpsilonIdentityHolds, Is.True, $"{cell}: ⟨g,w⟩ = ε/(c+ε)·γ·∂f/∂γ");
        }
        Assert.That(first.Out, Does.Contain("filters-eps: BN-ε identity").And.Contain("holds"));
        var header = File.ReadLines(Path.Combine(outDir, "filter-checks.csv")).First().Split(',');
        Assert.That(header, Does.Contain("eps_residual_median").And.Contain("eps_violation_max"));
        // The one Fig. 4 effect visible at this size: at a tiny constant learning rate η_eff barely moves, so constrained
        // and unconstrained runs coincide. (Larger-η, momentum and weight-decay effects are too noisy at 60 steps.)
        var claims = summary.Grid!.Claims.ToDictionary(c => c.Id);
        Assert.That(claims["A-small-lr"].Verdict, Is.EqualTo("holds"));
        Assert.That(File.ReadAllLines(Path.Combine(outDir, "grid.csv")), Has.Length.EqualTo(27));

        var again = CliRunner.Run("validate", "--experiment", TestProtocol, "--out", outDir);
        Assert.That(again.ExitCode, Is.EqualTo(0));
        Assert.That(again.Error, Does.Not.Contain(" step "), "finished cells are not trained again");
    }

    [Test]
    public void Validate_EmitSlurm_WritesAnArrayScript()
    {
        var r = CliRunner.Run("validate", "--experiment", TestProtocol, "--out", _root, "--emit", "slurm");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Error);
        string script = File.ReadAllText(Path.Combine(_root, "test-tiny.sbatch"));
        Assert.That(script, Does.Contain("#SBATCH --array=0-25"));
        Assert.That(script, Does.Contain("gpu-run.sh\" validate"));
        Assert.That(script, Does.Contain("--cell \"${cells[$SLURM_ARRAY_TASK_ID]}\""));
        Assert.That(script, Does.Not.Contain("--tf32"), "strict float32 unless asked");

        var tf32 = CliRunner.Run("validate", "--experiment", TestProtocol, "--out", _root, "--emit", "slurm", "--tf32");
        Assert.That(tf32.ExitCode, Is.EqualTo(0), tf32.Error);
        Assert.That(File.ReadAllText(Path.Combine(_root, "test-tiny.sbatch")), Does.Contain("' --tf32 --cell"), "each array task gets the precision asked for");
    }

    [Test]
    public void Validate_BadProtocol_ExitsTwoWithFileAndLine()
    {
        string path = Path.Combine(_root, "bad.yaml");
        File.WriteAllText(path, "name: bad\nbase:\n  steps: 10\n  optimizer:\n    lr: 0.1\ngrid:\n  panels:\n    A: {vary: nope, values: [1]}\n");
        var r = CliRunner.Run("validate", "--experiment", path);
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Error, Does.Contain("bad.yaml:8:"));
    }

    [TestCase("0")]
    [TestCase("-1")]
    [TestCase("two")]
    public void Validate_ThreadsBelowOneOrNotANumber_ExitsTwoNamingTheOption(string threads)
    {
        var r = CliRunner.Run("validate", "--experiment", TestProtocol, "--out", _root, "--threads", threads);
        Assert.That(r.ExitCode, Is.EqualTo(ExitCodes.BadInput), r.Error);
        Assert.That(r.Error, Does.Contain($"--threads '{threads}'").And.Contain("≥ 1"));
        Assert.That(Directory.EnumerateFileSystemEntries(_root), Is.Empty, "nothing is trained or written");
    }

    [Test]
    public void Validate_UnknownCell_ExitsTwo()
    {
        var r = CliRunner.Run("validate", "--experiment", TestProtocol, "--out", _root, "--cell", "no-such-cell");
        Assert.That(r.ExitCode, Is.EqualTo(2));
        Assert.That(r.Error, Does.Contain("no-such-cell"));
    }
}
