using System.Numerics;
using CsCheck;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Symbolic.Tests;

[TestFixture]
public sealed class RationalAndTableTests
{
    [Test]
    public void Rational_IsNormalised()
    {
        var r = new Rational(6, -4);
        Assert.That((r.Numerator, r.Denominator), Is.EqualTo((new BigInteger(-3), new BigInteger(2))));
        Assert.That(default(Rational), Is.EqualTo(Rational.Zero));
        Assert.That(default(Rational).Denominator, Is.EqualTo(BigInteger.One));
    }

    [Test]
    public void Rational_FieldLaws() =>
        Gen.Select(Gen.Long[-1000, 1000], Gen.Long[1, 50], Gen.Long[-1000, 1000], Gen.Long[1, 50]).Sample((a, b, c, d) =>
        {
            var x = new Rational(a, b);
            var y = new Rational(c, d);
            Assert.That(x + y - y, Is.EqualTo(x));
            if (!y.IsZero) Assert.That(x / y * y, Is.EqualTo(x));
            Assert.That(Rational.Parse(x.ToString()), Is.EqualTo(x));
            Assert.That(Math.Sign(x.CompareTo(y)), Is.EqualTo(Math.Sign(a * d - c * b)), "a/b vs c/d by cross-multiplication");
        });

    [Test]
    public void Rational_FromDouble_IsExact() =>
        Assert.That(Rational.FromDouble(0.1).ToDouble(), Is.EqualTo(0.1));

    [TestCase(16, 4, true, 2)]
    [TestCase(27, 3, true, 3)]
    [TestCase(2, 2, false, 0)]
    public void Rational_TryRoot(int value, int k, bool exists, int root)
    {
        Assert.That(new Rational(value).TryRoot(k, out var r), Is.EqualTo(exists));
        if (exists) Assert.That(r, Is.EqualTo(new Rational(root)));
    }

    [Test]
    public void FunctionTable_HasOneRowPerKind()
    {
        foreach (var kind in Enum.GetValues<FunctionKind>())
        {
            var row = FunctionTable.Get(kind);
            Assert.That(row.Kind, Is.EqualTo(kind));
            Assert.That(FunctionTable.ByName[row.Name], Is.EqualTo(kind), "parser keyword maps back");
            Assert.That(row.NumericMethod.Invoke(null, [0.7]), Is.EqualTo(row.Numeric(0.7)), $"{kind}: compiled and interpreted numeric methods agree");
        }
        Assert.That(FunctionTable.All, Has.Count.EqualTo(Enum.GetValues<FunctionKind>().Length));
    }

    [Test]
    public void Nodes_DeclareStructuralEquality()
    {
        var nodeTypes = typeof(Expr).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(Expr)));
        foreach (var t in nodeTypes)
        {
            Assert.That(t.IsSealed, Is.True, $"{t.Name} must be sealed");
            Assert.That(t.GetMethod("Equals", [t])?.DeclaringType, Is.EqualTo(t), $"{t.Name} declares Equals({t.Name}?)");
            Assert.That(t.GetMethod("GetHashCode", Type.EmptyTypes)?.DeclaringType, Is.EqualTo(t), $"{t.Name} declares GetHashCode()");
            Assert.That(t.GetConstructors(), Is.Empty, $"{t.Name} has no public constructor");
        }
    }
}
