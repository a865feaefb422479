using System.CommandLine;
using System.Globalization;
using NoetherTheory.Torch.Runtime;

namespace NoetherTheory.Cli.Commands;

/// <summary><c>--threads N</c>: libtorch's CPU threads per run (default: the cores divided among the concurrent runs, or
/// <c>OMP_NUM_THREADS</c> when it is set).</summary>
internal sealed class ThreadsOption : Option<int?>
{
    public ThreadsOption() : base("--threads")
    {
        Description = "CPU threads libtorch uses per run (default: cores ÷ concurrent runs, or OMP_NUM_THREADS when set). " +
            "Use 1 when the cores are shared with other work: libtorch's waiting threads spin and a run then slows many-fold";
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0) return null;
            string text = result.Tokens[^1].Value;
            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n >= 1) return n;
            result.AddError($"--threads '{text}' is not a thread count: give a whole number ≥ 1 (e.g. --threads 1).");
            return null;
        };
    }

    /// <summary>Applies the thread count for <paramref name="jobs"/> concurrent runs; returns it, and it in words.</summary>
    /// <exception cref="UsageException">libtorch is missing.</exception>
    public static (int Count, string Words) Apply(int? threads, int jobs)
    {
        try
        {
            return TorchRuntime.ConfigureThreads(threads, jobs);
        }
        catch (TorchUnavailableException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
