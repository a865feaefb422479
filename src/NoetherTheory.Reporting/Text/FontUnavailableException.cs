namespace NoetherTheory.Reporting;

/// <summary>A font family that figures or reports need is not installed.</summary>
/// <remarks>Thrown instead of silently drawing with a fallback font that lacks Greek letters and superscripts.</remarks>
public sealed class FontUnavailableException : NoetherTheoryException
{
    /// <summary>Creates the exception for <paramref name="family"/>.</summary>
    public FontUnavailableException(string family)
        : base($"Font family '{family}' is not installed, so figures and reports cannot render Greek letters and " +
               "superscripts reliably. Install the DejaVu fonts (Debian/Ubuntu: apt-get install fonts-dejavu-core; " +
               "other systems: install the DejaVu family from your package manager) and run again.")
        => Family = family;

    /// <summary>Creates the exception with a message.</summary>
    public FontUnavailableException() : this("DejaVu Sans")
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public FontUnavailableException(string message, Exception innerException) : base(message, innerException)
        => Family = string.Empty;

    /// <summary>The family that was asked for.</summary>
    public string Family { get; }
}
