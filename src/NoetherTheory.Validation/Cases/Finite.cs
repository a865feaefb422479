using System.Globalization;
using NoetherTheory.Numerics.Optimizers;

namespace NoetherTheory.Validation.Cases;

/// <summary>
/// The one place the laws turn a NaN or an infinity into a failure. Comparisons with NaN are false, so
/// <c>if (v &gt; worst)</c>, <c>Enumerable.Max</c> and a slope fit that drops non-finite points all skip a diverged value
/// silently; every law routes its residuals, states and sweep errors through these checks instead, which throw
/// <see cref="NonFiniteValueException"/> naming the step (or η, or index) where the value first appeared.
/// </summary>
internal static class Finite
{
    /// <summary>Throws when <paramref name="value"/> is not finite.</summary>
    public static double Check(double value, string where) =>
        double.IsFinite(value) ? value : throw new NonFiniteValueException(value, where);

    /// <summary>Throws when <paramref name="value"/> is not finite, naming <paramref name="what"/> and the step.</summary>
    public static double Check(double value, string what, int step) =>
        double.IsFinite(value) ? value : throw new NonFiniteValueException(value, string.Create(CultureInfo.InvariantCulture, $"{what} at step {step}"));

    /// <summary>Throws at the first non-finite entry of <paramref name="values"/>, naming its index and <paramref name="what"/>.</summary>
    public static void CheckAll(ReadOnlySpan<double> values, string what)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new NonFiniteValueException(values[i], string.Create(CultureInfo.InvariantCulture, $"{what}[{i}]"));
    }

    /// <summary>Throws at the first non-finite sweep error, naming the step size (or learning rate) it belongs to.</summary>
    public static void CheckSweep(IReadOnlyList<double> steps, IReadOnlyList<double> errors, string symbol)
    {
        for (int i = 0; i < errors.Count; i++)
            if (!double.IsFinite(errors[i]))
                throw new NonFiniteValueException(errors[i], string.Create(CultureInfo.InvariantCulture, $"the error at {symbol} = {steps[i]}"));
    }

    /// <summary>Takes one optimizer step and throws if the new parameters, buffer or gradient hold a non-finite entry,
    /// naming the step that produced it.</summary>
    public static void Step(Optimizer optimizer)
    {
        optimizer.Step();
        State(optimizer);
    }

    /// <summary>Takes <paramref name="steps"/> checked steps (<see cref="Step"/>).</summary>
    public static void Run(Optimizer optimizer, int steps)
    {
        for (int s = 0; s < steps; s++) Step(optimizer);
    }

    /// <summary>Throws if the optimizer's state holds a non-finite entry.</summary>
    public static void State(Optimizer optimizer)
    {
        int n = optimizer.StepIndex;
        Span(optimizer.Parameters, "q", n);
        Span(optimizer.Buffer, "buffer v", n);
        Span(optimizer.LastGradient, "gradient g", n);
    }

    private static void Span(ReadOnlySpan<double> values, string what, int step)
    {
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new NonFiniteValueException(values[i],
                    string.Create(CultureInfo.InvariantCulture, $"{what}[{i}] after step {step} (the run diverged)"));
    }
}
