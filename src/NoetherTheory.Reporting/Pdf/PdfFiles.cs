using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace NoetherTheory.Reporting.Pdf;

/// <summary>Small byte-level facts about PDFs written by Skia.</summary>
internal static partial class PdfFiles
{
    /// <summary>Number of page objects (<c>/Type /Page</c>, not <c>/Pages</c>).</summary>
    public static int CountPages(byte[] pdf) => PageObject().Count(Encoding.Latin1.GetString(pdf));

    /// <summary>
    /// Replaces the random file identifier that Skia writes (<c>/ID [&lt;hex&gt; &lt;hex&gt;]</c>, seeded by the clock)
    /// with one derived from the rest of the file, so equal reports are byte-identical. Same length, so the
    /// cross-reference offsets stay valid.
    /// </summary>
    public static byte[] WithContentIdentifier(byte[] pdf)
    {
        string latin = Encoding.Latin1.GetString(pdf);
        var match = FileIdentifier().Match(latin);
        if (!match.Success)
            return pdf;
        var first = match.Groups["a"];
        var second = match.Groups["b"];
        byte[] blanked = (byte[])pdf.Clone();
        blanked.AsSpan(first.Index, first.Length).Fill((byte)'0');
        blanked.AsSpan(second.Index, second.Length).Fill((byte)'0');
        string hash = Convert.ToHexString(SHA256.HashData(blanked));
        Encoding.ASCII.GetBytes(Repeat(hash, first.Length)).CopyTo(blanked, first.Index);
        Encoding.ASCII.GetBytes(Repeat(hash, second.Length)).CopyTo(blanked, second.Index);
        return blanked;
    }

    private static string Repeat(string hex, int length) =>
        string.Concat(Enumerable.Repeat(hex, (length / hex.Length) + 1))[..length];

    [GeneratedRegex(@"/Type\s*/Page(?![a-zA-Z])")]
    private static partial Regex PageObject();

    [GeneratedRegex(@"/ID\s*\[\s*<(?<a>[0-9A-Fa-f]+)>\s*<(?<b>[0-9A-Fa-f]+)>\s*\]")]
    private static partial Regex FileIdentifier();
}
