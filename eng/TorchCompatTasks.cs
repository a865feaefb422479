// MSBuild inline tasks (RoslynCodeTaskFactory) for the TorchSharp libstdc++ compatibility step.
// Compiled by MSBuild at build time against netstandard2.0; see NoetherTheory.TorchCompat.targets for the why.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Decides whether the host's libstdc++ lacks a symbol version (e.g. GLIBCXX_3.4.32). It looks for
/// libstdc++.so.6 in LD_LIBRARY_PATH and then in the standard multiarch folders, the order the
/// dynamic loader uses for a library without RUNPATH, and searches the file for the version name.
/// </summary>
public sealed class NoetherProbeStdCxx : Task
{
    [Required] public string VersionName { get; set; } = "";

    /// <summary>True when the host needs the compatibility step (version absent, or libstdc++ not found).</summary>
    [Output] public bool Needed { get; set; }

    /// <summary>The libstdc++ that was inspected ("" when none was found).</summary>
    [Output] public string LibraryPath { get; set; } = "";

    public override bool Execute()
    {
        var dirs = new List<string>();
        string? ld = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        if (!string.IsNullOrEmpty(ld)) dirs.AddRange(ld!.Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries));
        dirs.AddRange(new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib",
                              "/lib/aarch64-linux-gnu", "/usr/lib/aarch64-linux-gnu" });
        foreach (string dir in dirs)
        {
            string candidate = Path.Combine(dir, "libstdc++.so.6");
            if (!File.Exists(candidate)) continue;
            LibraryPath = Path.GetFullPath(candidate);
            Needed = !Contains(File.ReadAllBytes(candidate), Encoding.ASCII.GetBytes(VersionName + "\0"));
            Log.LogMessage(MessageImportance.Normal,
                $"TorchSharp compat: {LibraryPath} {(Needed ? "lacks" : "has")} {VersionName}.");
            return true;
        }
        Needed = true;
        Log.LogMessage(MessageImportance.High,
            "TorchSharp compat: libstdc++.so.6 not found in LD_LIBRARY_PATH or the standard folders; applying the step (harmless where not needed).");
        return true;
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack[i] != needle[0]) continue;
            int j = 1;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }
}

/// <summary>
/// Sets VER_FLG_WEAK (0x2) in the vna_flags of the .gnu.version_r (SHT_GNU_verneed) entry named
/// <see cref="VersionName"/> of a little-endian ELF64 shared object, in place. A weak version
/// requirement makes the dynamic loader accept a library that lacks that version instead of
/// refusing to load (glibc elf/dl-version.c: a missing weak version is not an error).
/// </summary>
public sealed class NoetherMarkVersionNeedWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    [Required] public string File { get; set; } = "";
    [Required] public string VersionName { get; set; } = "";

    public override bool Execute()
    {
        byte[] elf;
        try { elf = System.IO.File.ReadAllBytes(File); }
        catch (IOException e) { Log.LogError($"TorchSharp compat: cannot read {File}: {e.Message}"); return false; }

        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            return Fail("not an ELF file");
        if (elf[4] != 2 || elf[5] != 1)
            return Fail($"only little-endian ELF64 is supported (EI_CLASS={elf[4]}, EI_DATA={elf[5]})");

        ulong shoff = U64(elf, 0x28);
        int shentsize = U16(elf, 0x3A), shnum = U16(elf, 0x3C);
        if (shoff == 0 || shentsize < 64 || shoff + (ulong)(shentsize * shnum) > (ulong)elf.Length)
            return Fail("section header table missing or truncated");

        for (int s = 0; s < shnum; s++)
        {
            int sh = checked((int)shoff + s * shentsize);
            if (U32(elf, sh + 4) != ShtGnuVerneed) continue;
            int verneed = checked((int)U64(elf, sh + 0x18));       // sh_offset
            int count = (int)U32(elf, sh + 0x2C);                   // sh_info: number of Elf64_Verneed entries
            int link = (int)U32(elf, sh + 0x28);                    // sh_link: the string table (.dynstr)
            int strtab = checked((int)U64(elf, checked((int)shoff + link * shentsize) + 0x18));

            int vn = verneed;
            for (int n = 0; n < count; n++)
            {
                int auxCount = U16(elf, vn + 2);
                int aux = vn + (int)U32(elf, vn + 8);               // vn_aux
                for (int a = 0; a < auxCount; a++)
                {
                    string name = CString(elf, strtab + (int)U32(elf, aux + 8));   // vna_name
                    if (name == VersionName)
                    {
                        ushort flags = U16(elf, aux + 4);           // vna_flags
                        if ((flags & VerFlgWeak) == 0)
                        {
                            flags |= VerFlgWeak;
                            elf[aux + 4] = (byte)(flags & 0xff);
                            elf[aux + 5] = (byte)(flags >> 8);
                            System.IO.File.WriteAllBytes(File, elf);
                        }
                        Log.LogMessage(MessageImportance.Normal, $"TorchSharp compat: {VersionName} marked weak in {File}.");
                        return true;
                    }
                    aux += (int)U32(elf, aux + 12);                 // vna_next
                }
                vn += (int)U32(elf, vn + 12);                       // vn_next
            }
        }
        return Fail($"no version requirement named {VersionName} in .gnu.version_r");
    }

    private bool Fail(string why)
    {
        Log.LogError($"TorchSharp compat: cannot mark the version requirement weak in {File}: {why}. " +
                     "The TorchSharp package may have changed; set -p:NoetherTorchCompat=never to skip the step.");
        return false;
    }

    private static ushort U16(byte[] b, int o) => (ushort)(b[o] | b[o + 1] << 8);
    private static uint U32(byte[] b, int o) => (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);
    private static ulong U64(byte[] b, int o) => U32(b, o) | (ulong)U32(b, o + 4) << 32;

    private static string CString(byte[] b, int o)
    {
        int end = o;
        while (end < b.Length && b[end] != 0) end++;
        return Encoding.ASCII.GetString(b, o, end - o);
    }
}
