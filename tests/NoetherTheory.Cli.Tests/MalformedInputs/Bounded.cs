using NoetherTheory.Cli;

namespace NoetherTheory.Cli.Tests.MalformedInputs;

/// <summary>Runs one input through a loader under the error contract: it must finish within a time and memory bound and
/// end in success or the domain error, never another exception type.</summary>
internal static class Bounded
{
    // Every input here is a small file or a short text; the slowest valid one (the whole catalog with its invariance
    // zero tests) loads in well under a second, so 5 s only catches a hang or an unbounded loop.
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(5);

    // A malformed input must be refused before anything big is allocated; 512 MiB is far above any real load
    // (the catalog allocates a few MiB) and far below what the unbounded cases took (> 7 GB).
    public const long MemoryLimitBytes = 512L << 20;

    /// <summary>Runs <paramref name="action"/>; returns what it threw, or null.</summary>
    public static Exception? Run(Action action, string what)
    {
        Exception? thrown = null;
        long before = GC.GetTotalAllocatedBytes();
        var task = Task.Run(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                thrown = e;
            }
        });
        Assert.That(task.Wait(TimeLimit), Is.True, $"{what}: still running after {TimeLimit.TotalSeconds} s");
        long allocated = GC.GetTotalAllocatedBytes() - before;
        Assert.That(allocated, Is.LessThan(MemoryLimitBytes), $"{what}: allocated {allocated >> 20} MiB");
        return thrown;
    }

    /// <summary>Success, or a <see cref="NoetherTheoryException"/> that <paramref name="check"/> accepts.</summary>
    public static NoetherTheoryException? SuccessOrDomainError(Action action, string what, Action<NoetherTheoryException>? check = null)
    {
        var e = Run(action, what);
        if (e is null) return null;
        Assert.That(e, Is.InstanceOf<NoetherTheoryException>(), $"{what}: not the domain error:\n{e}");
        var domain = (NoetherTheoryException)e;
        check?.Invoke(domain);
        return domain;
    }

    /// <summary>Runs the CLI in-process; nothing may escape it.</summary>
    public static CliRunner.Outcome Cli(string[] args, string what)
    {
        CliRunner.Outcome? outcome = null;
        var e = Run(() => outcome = CliRunner.Run(args), what);
        Assert.That(e, Is.Null, $"{what}: the CLI crashed:\n{e}");
        return outcome!;
    }

    /// <summary>A fresh temporary folder.</summary>
    public static string TempFolder()
    {
        string path = Path.Combine(Path.GetTempPath(), "noether-malformed-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
