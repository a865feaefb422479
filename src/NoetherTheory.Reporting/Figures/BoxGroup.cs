namespace NoetherTheory.Reporting.Figures;

/// <summary>One named group of a <see cref="BoxPlot"/> (e.g. the errors of one optimizer over all cases).</summary>
/// <param name="Name">Category label under the box.</param>
/// <param name="Values">The group's sample; NaN values are ignored.</param>
public sealed record BoxGroup(string Name, IReadOnlyList<double> Values);
