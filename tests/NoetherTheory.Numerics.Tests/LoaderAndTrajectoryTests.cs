using System.Globalization;
using NoetherTheory.Numerics.Optimizers;
using NoetherTheory.Numerics.Recording;
using NoetherTheory.Testing;

namespace NoetherTheory.Numerics.Tests;

[TestFixture]
public sealed class TrajectoryTests
{
    // Same budget as the momentum-green validation case (G#9): O(η) source quadrature, ≤1e-3 relative once the
    // start-up transient (ẋ₀ = 0 assumed by the law, PyTorch buffer in the run) has decayed after ~5 damping times.
    private static readonly Tolerance GreensLaw = Tolerance.Relative(1e-3);
    // During the first few hundred steps the measured gap is up to 2.2e-3 (step 100).
    private static readonly Tolerance GreensLawTransient = Tolerance.Relative(3e-3);
    // Eq. 17 drops the Green's-law memory of the start-up: the validation case's 0.2% relative budget (G#10).
    private static readonly Tolerance Eq17Persistent = Tolerance.Relative(2e-3);
    // GD with decay: (1−ηk)^n vs e^{−kηn} differ by n(ηk)²/2 = 5e-4 relative at n = 1000 (G#8), +20% headroom; the
    // absolute floor is round-off for a bias sum that can sit at ≈ 0.
    private static readonly Tolerance DiscreteVsContinuousDecay = new(1e-14, 6e-4);

    [Test]
    public void Recorder_PutsPredictionsBesideMeasurements()
    {
        var table = Trajectory.Run(new TrajectoryOptions("force-persistent",
            new OptimizerOptions { Kind = OptimizerKind.HeavyBall, LearningRate = 0.01, Momentum = 0.9, WeightDecay = 1e-3 }, 2000)
        {
            ModelParameters = new Models.ParameterSet().With("s", 0.3),
            Every = 100,
            Predict = ["nm", "eq17"],
        });
        Assert.That(table.Rows, Has.Count.EqualTo(21));
        var measured = table.Column("scale.q.norm2");
        var nm = table.Column("scale.q.norm2.nm");
        var eq17 = table.Column("scale.q.norm2.eq17");
        NumericAssert.AllClose(measured, nm, GreensLawTransient);
        NumericAssert.AllClose(measured[5..], nm[5..], GreensLaw);
        // Eq. 17 is the cruder model: within 0.2% (G#10) but not as close as the Green's law at the end.
        NumericAssert.Close(measured[^1], eq17[^1], Eq17Persistent);
        Assert.That(Math.Abs(eq17[^1] - measured[^1]), Is.GreaterThan(Math.Abs(nm[^1] - measured[^1])));
        Assert.That(table.Column("step")[^1], Is.EqualTo(2000));
    }

    [Test]
    public void Recorder_TranslationPrediction_GdWithDecay()
    {
        var table = Trajectory.Run(new TrajectoryOptions("softmax", new OptimizerOptions { LearningRate = 0.05, WeightDecay = 0.02 }, 1000)
        { Every = 250, Predict = ["nm"] });
        NumericAssert.AllClose(table.Column("translation.bias.sum.nm"), table.Column("translation.bias.sum"), DiscreteVsContinuousDecay);
    }

    [Test]
    public void Csv_IsInvariantCulture()
    {
        var table = Trajectory.Run(new TrajectoryOptions("rayleigh", new OptimizerOptions { LearningRate = 0.1 }, 3));
        var prev = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            // A comma-culture writer too: WriteCsv must format its numbers itself, not through the writer's culture.
            using var w = new StringWriter(CultureInfo.GetCultureInfo("de-DE"));
            table.WriteCsv(w);
            var lines = w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(lines[0], Does.StartWith("step,t,loss,q_norm2"));
            Assert.That(lines[2].Split(',').Length, Is.EqualTo(table.Columns.Count));
            Assert.That(lines[2].Split(',')[1], Is.EqualTo("0.1"), "t = n·η at n = 1, printed with a dot");
        }
        finally { CultureInfo.CurrentCulture = prev; }
    }

    [Test]
    public void BadRequests_SayWhatIsAllowed()
    {
        var o = new OptimizerOptions { LearningRate = 0.1 };
        Assert.That(() => Trajectory.Run(new TrajectoryOptions("rayleigh", o, 3) { Predict = ["magic"] }),
            Throws.ArgumentException.With.Message.Contains("eq17"));
        Assert.That(() => Trajectory.Run(new TrajectoryOptions("rayleigh", o with { Kind = OptimizerKind.Adam }, 3) { Predict = ["nm"] }),
            Throws.ArgumentException.With.Message.Contains("heavy ball"));
    }
}
