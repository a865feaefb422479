namespace NoetherTheory.Torch.Measurement;

/// <summary>
/// One dedicated background thread that takes the second half of a host kernel's work. It waits on a kernel event between
/// calls, never spinning: a spinning .NET pool thread takes a core from libtorch's OpenMP threads (on the 2-core machine
/// both the measured and the unmeasured training steps slowed down while pool threads were in use).
/// </summary>
internal static class HostWorker
{
    private static readonly AutoResetEvent Start = new(false);
    private static readonly AutoResetEvent Done = new(false);
    private static readonly object Gate = new();
    private static Action? s_job;
    private static Exception? s_error;
    private static Thread? s_thread;

    /// <summary>Runs <paramref name="first"/> on the calling thread and <paramref name="second"/> on the worker, and returns
    /// when both are done (rethrowing the worker's exception). Calls from several threads take turns.</summary>
    public static void Both(Action first, Action second)
    {
        lock (Gate)
        {
            if (s_thread is null)
            {
                s_thread = new Thread(Loop) { IsBackground = true, Name = "noether host kernel" };
                s_thread.Start();
            }
            s_job = second;
            s_error = null;
            Start.Set();
            Exception? mine = null;
            try
            {
                first();
            }
            catch (Exception e)
            {
                mine = e;
            }
            Done.WaitOne();
            if (mine is not null) throw mine;
            if (s_error is not null) throw new InvalidOperationException("The host kernel's worker thread failed.", s_error);
        }
    }

    private static void Loop()
    {
        while (true)
        {
            Start.WaitOne();
            try
            {
                s_job!();
            }
#pragma warning disable CA1031 // the worker hands any failure back to the caller, which rethrows it
            catch (Exception e)
            {
                s_error = e;
            }
#pragma warning restore CA1031
            Done.Set();
        }
    }
}
