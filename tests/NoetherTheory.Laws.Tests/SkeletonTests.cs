namespace NoetherTheory.Laws.Tests;

/// <summary>The Laws assembly loads and carries its marker (replaced by real tests as the project grows).</summary>
[TestFixture]
public sealed class SkeletonTests
{
    [Test]
    public void Assembly_IsNamedLaws() =>
        Assert.That(typeof(AssemblyMarker).Assembly.GetName().Name, Is.EqualTo("NoetherTheory.Laws"));
}
