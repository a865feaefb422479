namespace NoetherTheory.Reporting;

/// <summary>Font families used by figures and reports (Debian package <c>fonts-dejavu-core</c>).</summary>
public static class FontNames
{
    /// <summary>Proportional sans-serif with Greek, super/subscripts and common mathematical symbols.</summary>
    public const string Sans = "DejaVu Sans";

    /// <summary>Monospace for code, LaTeX source and aligned numbers.</summary>
    public const string Mono = "DejaVu Sans Mono";

    /// <summary>Serif for displayed equations.</summary>
    public const string Serif = "DejaVu Serif";
}
