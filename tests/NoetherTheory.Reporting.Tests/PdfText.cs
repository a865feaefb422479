using System.Diagnostics;

namespace NoetherTheory.Reporting.Tests;

/// <summary>Text extraction through poppler's <c>pdftotext</c>, if installed (tests are ignored otherwise).</summary>
internal static class PdfText
{
    public static string Extract(byte[] pdf)
    {
        string? tool = Environment.GetEnvironmentVariable("PATH")?.Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, "pdftotext")).FirstOrDefault(File.Exists);
        if (tool is null)
            Assert.Ignore("pdftotext (poppler-utils) is not installed; text extraction not checked.");
        string file = Path.Combine(Path.GetTempPath(), "noether-report-" + Guid.NewGuid().ToString("N") + ".pdf");
        try
        {
            File.WriteAllBytes(file, pdf);
            var start = new ProcessStartInfo(tool!, ["-enc", "UTF-8", file, "-"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                StandardOutputEncoding = System.Text.Encoding.UTF8,
            };
            using var process = Process.Start(start)!;
            string text = process.StandardOutput.ReadToEnd();
            string errors = process.StandardError.ReadToEnd();
            process.WaitForExit();
            Assert.That(process.ExitCode, Is.Zero, $"pdftotext failed: {errors}");
            return text;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
