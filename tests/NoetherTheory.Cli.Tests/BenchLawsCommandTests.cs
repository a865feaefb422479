using System.Text.Json;

namespace NoetherTheory.Cli.Tests;

/// <summary>`noether bench --suite laws` on the smallest network: one well-formed table, JSON whose counts agree with SymPy's
/// (when Debian's SymPy is installed). No speed is asserted.</summary>
[TestFixture]
public sealed class BenchLawsCommandTests
{
    [Test]
    public void Laws_SmallestNetwork_PrintsTableWritesJson_CountsAgree()
    {
        string json = Path.Combine(Path.GetTempPath(), $"noether-bench-laws-{Guid.NewGuid():N}.json");
        try
        {
            var run = CliRunner.Run("bench", "--suite", "laws", "--laws-models", "linear:2,2,2", "--out", json);
            Assert.That(run.ExitCode, Is.EqualTo(0), run.Error + run.Out);
            Assert.That(run.Out, Does.Contain("## Laws: conservation-law discovery"));
            MarkdownTables.AssertWellFormed(run.Out, expectedTables: 1);
            using var doc = JsonDocument.Parse(File.ReadAllText(json));
            Assert.That(doc.RootElement.GetProperty("checksPassed").GetBoolean(), Is.True);
            var row = doc.RootElement.GetProperty("laws").EnumerateArray().Single();
            Assert.Multiple(() =>
            {
                Assert.That(row.GetProperty("model").GetString(), Is.EqualTo("linear:2,2,2"));
                Assert.That(row.GetProperty("oursCount").GetInt32(), Is.EqualTo(3));
                Assert.That(row.GetProperty("oursVerdict").GetString(), Is.EqualTo("Proven"));
                Assert.That(row.GetProperty("oursSeconds").GetDouble(), Is.GreaterThan(0));
            });
            if (File.Exists("/usr/bin/python3") && row.GetProperty("sympyStatus").GetString() != "unavailable")
            {
                Assert.That(row.GetProperty("sympyStatus").GetString(), Is.EqualTo("ok"), row.ToString());
                Assert.That(row.GetProperty("sympyCount").GetInt32(), Is.EqualTo(3));
                Assert.That(row.GetProperty("countsAgree").GetBoolean(), Is.True);
                Assert.That(row.GetProperty("sympyVerified").GetBoolean(), Is.True);
            }
        }
        finally
        {
            File.Delete(json);
        }
    }

    [TestCase("linear:2", "--laws-models")]
    [TestCase("cnn:2,2", "--laws-models")]
    [TestCase(" ; ", "--laws-models")]
    public void Laws_BadModels_ExitTwo(string models, string expect)
    {
        var run = CliRunner.Run("bench", "--suite", "laws", "--laws-models", models);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.Out);
        Assert.That(run.Error, Does.Contain(expect));
    }
}
