using System.Text;
using NoetherTheory.Core.IO;

namespace NoetherTheory.Core.Tests;

[TestFixture]
public sealed class AtomicFileTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("noether-atomic-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_dir, recursive: true);

    private string[] FolderContents(string? folder = null) =>
        [.. Directory.EnumerateFileSystemEntries(folder ?? _dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    [Test]
    public void Write_Text_IsUtf8WithoutByteOrderMark_AndCreatesTheFolder()
    {
        string path = Path.Combine(_dir, "sub", "deeper", "a.txt");
        AtomicFile.Write(path, "ε = 0.1\n");
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(Encoding.UTF8.GetBytes("ε = 0.1\n")));
        Assert.That(FolderContents(Path.Combine(_dir, "sub", "deeper")), Is.EqualTo(new[] { "a.txt" }), "no temporary is left behind");
    }

    [Test]
    public void Write_ReplacesAnExistingFile()
    {
        string path = Path.Combine(_dir, "a.bin");
        File.WriteAllBytes(path, new byte[1000]);
        AtomicFile.Write(path, new byte[] { 1, 2, 3 });
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 1, 2, 3 }), "the old, longer content is gone entirely");
        Assert.That(FolderContents(), Is.EqualTo(new[] { "a.bin" }));
    }

    [Test]
    public void Write_TargetKeepsItsOldContent_UntilTheNewOneIsComplete()
    {
        string path = Path.Combine(_dir, "a.txt");
        File.WriteAllText(path, "old");
        string? seenMidway = null;
        AtomicFile.Write(path, stream =>
        {
            stream.Write("new, first half"u8);
            stream.Flush();
            seenMidway = File.ReadAllText(path);
            stream.Write(" and second half"u8);
        });
        Assert.That(seenMidway, Is.EqualTo("old"), "a reader during the write sees the old file, never half of the new one");
        Assert.That(File.ReadAllText(path), Is.EqualTo("new, first half and second half"));
    }

    [Test]
    public void Write_WhenTheWriterFails_LeavesTheTargetUntouched_AndRemovesTheTemporary()
    {
        string path = Path.Combine(_dir, "a.txt");
        File.WriteAllText(path, "old");
        Assert.That(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("partial"u8);
            throw new InvalidOperationException("disk on fire");
        }), Throws.InvalidOperationException.With.Message.EqualTo("disk on fire"));
        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(FolderContents(), Is.EqualTo(new[] { "a.txt" }), "the temporary is removed on failure");
    }

    [Test]
    public void Write_WhenTheRenameFails_RemovesTheTemporary()
    {
        string path = Path.Combine(_dir, "taken");
        Directory.CreateDirectory(path);   // a folder where the file should go: the rename fails
        Assert.That(() => AtomicFile.Write(path, "x"), Throws.InstanceOf<IOException>().Or.InstanceOf<UnauthorizedAccessException>());
        Assert.That(FolderContents(), Is.EqualTo(new[] { "taken" }));
    }

    [Test]
    public void AbandonedTemporaries_FindsOldTemporariesOfThatFileOnly()
    {
        string path = Path.Combine(_dir, "cache.u8");
        string old = Path.Combine(_dir, ".cache.u8.4242-0123456789abcdef.tmp");
        string young = Path.Combine(_dir, ".cache.u8.4243-fedcba9876543210.tmp");
        string other = Path.Combine(_dir, ".other.u8.4242-0123456789abcdef.tmp");
        foreach (var f in new[] { old, young, other }) File.WriteAllBytes(f, [0]);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-1));
        File.SetLastWriteTimeUtc(other, DateTime.UtcNow.AddHours(-1));
        Assert.That(AtomicFile.AbandonedTemporaries(path, TimeSpan.FromMinutes(10)), Is.EqualTo(new[] { old }));
    }

    [Test]
    public void Write_ConcurrentWritersOfOneFile_EachLeaveAWholeFile()
    {
        string path = Path.Combine(_dir, "a.txt");
        string[] contents = [.. Enumerable.Range(0, 8).Select(i => new string((char)('a' + i), 100_000))];
        Parallel.ForEach(contents, text => AtomicFile.Write(path, text));
        Assert.That(contents, Does.Contain(File.ReadAllText(path)), "the file is one writer's whole content");
        Assert.That(FolderContents(), Is.EqualTo(new[] { "a.txt" }));
    }
}
