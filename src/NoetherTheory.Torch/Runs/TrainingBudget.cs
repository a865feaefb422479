using System.Globalization;
using NoetherTheory.Torch.Models;

namespace NoetherTheory.Torch.Runs;

/// <summary>
/// The memory a training run will need, estimated on the managed side from its config before anything is allocated, and
/// the limit it is held to. A libtorch allocation failure may end the process (see <c>noether doctor</c>), so a config
/// whose estimate exceeds the limit is rejected with a message that names the limit and the field that dominates.
/// </summary>
/// <remarks>
/// <para>The estimate (bytes): the data set's uint8 pixels twice (host and training device; thirteen times for a synthetic
/// set, whose float32 noise and templates exist while it is generated), the parameters six times (weights, gradients,
/// momentum, and the checkpoint's copies), and the activations of one training batch (conv, BN and ReLU outputs and their
/// gradients, float32) or of one evaluation batch, whichever is larger. It is an upper-end estimate for deciding whether
/// to start, not a measurement.</para>
/// <para>The limit is <see cref="DefaultLimitGib"/> GiB unless the config's <c>limits.memory_gib</c> or the environment
/// variable <see cref="EnvironmentVariable"/> (in GiB; the config wins) sets another: raise it where a big run is
/// legitimate.</para>
/// </remarks>
public static class TrainingBudget
{
    /// <summary>The default memory limit of a run, in GiB.</summary>
    public const double DefaultLimitGib = 16;

    /// <summary>Environment variable that overrides <see cref="DefaultLimitGib"/> (GiB) when the config sets no limit.</summary>
    public const string EnvironmentVariable = "NOETHER_MEMORY_LIMIT_GIB";

    private const double Gib = 1024.0 * 1024 * 1024;

    /// <summary>The limit a run of <paramref name="config"/> is held to, in GiB.</summary>
    /// <exception cref="ArgumentException">The environment variable is set but not a positive number.</exception>
    public static double LimitGib(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (config.MemoryLimitGib is { } fromConfig) return fromConfig;
        string? env = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(env)) return DefaultLimitGib;
        return double.TryParse(env, NumberStyles.Float, CultureInfo.InvariantCulture, out double gib) && gib > 0 && double.IsFinite(gib)
            ? gib
            : throw new ArgumentException($"limits: {EnvironmentVariable}='{env}' must be a positive number of GiB.", nameof(config));
    }

    /// <summary>The estimated peak memory of a run in bytes, and the config field that contributes most.</summary>
    public static (double Bytes, string Field, string Breakdown) Estimate(TrainingConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var (train, test, channels, size, classes, dataField, copies) = config.Dataset.Kind switch
        {
            DatasetKind.Synthetic when config.Dataset.Synthetic is { } syn =>
                ((double)syn.TrainCount, (double)syn.TestCount, (double)syn.Channels, (double)syn.Size, (double)syn.Classes, "dataset.synthetic.train_count", 13.0),
            DatasetKind.Synthetic => (256.0, 64.0, 3.0, 16.0, 4.0, "dataset.synthetic.train_count", 13.0),
            DatasetKind.FashionMnist => (60_000.0, 10_000.0, 1.0, 28.0, 10.0, "dataset", 2.0),
            _ => (100_000.0, 10_000.0, 3.0, 64.0, 200.0, "dataset", 2.0),
        };
        double data = (train + test) * channels * size * size * copies;

        // Walk configuration A in doubles (a huge width must not overflow an int before it is rejected).
        var model = config.Model;
        double parameters = 0, perImage = channels * size * size, c = channels, s = size;
        foreach (int entry in Vgg11BnOptions.ConfigurationA)
        {
            if (entry == 0)
            {
                if (s >= 2) s = Math.Floor(s / 2);
                perImage += c * s * s;
                continue;
            }
            double width = Math.Max(1, Math.Round(entry * model.WidthMultiplier, MidpointRounding.AwayFromZero));
            parameters += 9 * c * width + 4 * width;
            perImage += 3 * width * s * s;
            c = width;
        }
        parameters += model.Head == Vgg11BnHead.GapLinear
            ? (c + 1) * classes
            : (c * s * s + 1) * model.HiddenWidth + (model.HiddenWidth + 1) * model.HiddenWidth + (model.HiddenWidth + 1) * classes;
        double parameterBytes = parameters * 4 * 6;
        double activations = Math.Max(config.BatchSize * perImage * 4 * 2, config.EvalBatchSize * perImage * 4 * 2 / 3);
        double total = data + parameterBytes + activations;
        string field = data >= parameterBytes && data >= activations ? dataField
            : parameterBytes >= activations ? "model.width" : "batch_size";
        string breakdown = string.Create(CultureInfo.InvariantCulture,
            $"data {data / Gib:G3} GiB, parameters {parameterBytes / Gib:G3} GiB ({parameters:G3} of them), activations {activations / Gib:G3} GiB");
        return (total, field, breakdown);
    }

    /// <summary>Throws when the estimate exceeds the limit, naming the dominant field (as the exception's parameter name),
    /// the estimate, the limit and how to raise it.</summary>
    /// <exception cref="ArgumentException">The run would need more memory than the limit allows.</exception>
    public static void Check(TrainingConfig config)
    {
        double limit = LimitGib(config);
        var (bytes, field, breakdown) = Estimate(config);
        if (!(bytes <= limit * Gib))
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"{field}: the run would need about {bytes / Gib:G3} GiB ({breakdown}), more than the memory limit of {limit:G} GiB; " +
                $"make it smaller, or raise the limit with limits.memory_gib in the config or the {EnvironmentVariable} environment variable."), field);
    }
}
