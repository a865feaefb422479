using System.Globalization;

namespace NoetherTheory.Validation.Cases;

/// <summary>
/// The largest of a sequence of non-negative residuals and where it occurred. A non-finite residual throws
/// <see cref="NonFiniteValueException"/> at once, naming its label and step: with a plain <c>if (v &gt; worst)</c> a NaN
/// compares false and a diverged run would report its largest finite residual (often 0) and pass.
/// </summary>
internal sealed class WorstResidual
{
    private string _label = "none";
    private int _step = -1;

    /// <summary>The largest residual so far (0 before any).</summary>
    public double Value { get; private set; }

    /// <summary>How many residuals were noted.</summary>
    public int Count { get; private set; }

    /// <summary>Where the largest residual occurred ("none" before any).</summary>
    public string Where => _step < 0 ? _label : string.Create(CultureInfo.InvariantCulture, $"{_label} at step {_step}");

    /// <summary>The step of the largest residual (−1 when it has none or none was noted).</summary>
    public int Step => _step;

    /// <summary>Notes a residual; <paramref name="step"/> &lt; 0 means the residual has no step.</summary>
    /// <exception cref="NonFiniteValueException">The residual is NaN or infinite.</exception>
    public void Note(double value, string label, int step = -1)
    {
        Count++;
        if (!double.IsFinite(value))
            throw new NonFiniteValueException(value, step < 0 ? label : string.Create(CultureInfo.InvariantCulture, $"{label} at step {step}"));
        if (value > Value)
        {
            Value = value;
            _label = label;
            _step = step;
        }
    }
}
