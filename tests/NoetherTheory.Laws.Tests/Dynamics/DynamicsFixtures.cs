using System.Globalization;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Tests.Dynamics;

/// <summary>Small factorisations with their known gradient-flow laws, built here (independently of the laws finder).</summary>
internal static class DynamicsFixtures
{
    private static Polynomial X(int i) => Polynomial.Variable(i);

    /// <summary>Linear net widths [n0, n1, n2]: U1 is n1×n0 (variables i·n0 + j), U2 is n2×n1; φ = U2·U1; laws = the
    /// entries (i ≤ j) of U1U1ᵀ − U2ᵀU2.</summary>
    public static (Factorisation Phi, List<ConservationLaw> Laws) Linear(int n0, int n1, int n2)
    {
        int U1(int i, int j) => (i * n0) + j;
        int U2(int i, int j) => (n1 * n0) + (i * n1) + j;
        var names = new List<string>();
        for (int i = 0; i < n1; i++) for (int j = 0; j < n0; j++) names.Add(F($"U1[{i},{j}]"));
        for (int i = 0; i < n2; i++) for (int j = 0; j < n1; j++) names.Add(F($"U2[{i},{j}]"));
        var phi = new List<Polynomial>();
        for (int a = 0; a < n2; a++)
            for (int b = 0; b < n0; b++)
            {
                var s = Polynomial.Zero;
                for (int k = 0; k < n1; k++) s += X(U2(a, k)) * X(U1(k, b));
                phi.Add(s);
            }
        var laws = new List<ConservationLaw>();
        for (int i = 0; i < n1; i++)
            for (int j = i; j < n1; j++)
            {
                var h = Polynomial.Zero;
                for (int c = 0; c < n0; c++) h += X(U1(i, c)) * X(U1(j, c));
                for (int r = 0; r < n2; r++) h -= X(U2(r, i)) * X(U2(r, j));
                laws.Add(new ConservationLaw(F($"(U1U1ᵀ − U2ᵀU2)[{i},{j}]"), h, h.ToString()));
            }
        return (new Factorisation(F($"linear:{n0},{n1},{n2}"), names, phi), laws);
    }

    /// <summary>ReLU net [n0, n1, n2], all units active, no bias: φ = the path products W2[k,j]·W1[j,i]; one law
    /// |W1[j,:]|² − |W2[:,j]|² per hidden unit.</summary>
    public static (Factorisation Phi, List<ConservationLaw> Laws) Relu(int n0, int n1, int n2)
    {
        int W1(int j, int i) => (j * n0) + i;
        int W2(int k, int j) => (n1 * n0) + (k * n1) + j;
        var names = new List<string>();
        for (int j = 0; j < n1; j++) for (int i = 0; i < n0; i++) names.Add(F($"W1[{j},{i}]"));
        for (int k = 0; k < n2; k++) for (int j = 0; j < n1; j++) names.Add(F($"W2[{k},{j}]"));
        var phi = new List<Polynomial>();
        for (int k = 0; k < n2; k++)
            for (int j = 0; j < n1; j++)
                for (int i = 0; i < n0; i++) phi.Add(X(W2(k, j)) * X(W1(j, i)));
        var laws = new List<ConservationLaw>();
        for (int j = 0; j < n1; j++)
        {
            var h = Polynomial.Zero;
            for (int i = 0; i < n0; i++) h += X(W1(j, i)).Pow(2);
            for (int k = 0; k < n2; k++) h -= X(W2(k, j)).Pow(2);
            laws.Add(new ConservationLaw(F($"unit {j}"), h, h.ToString()));
        }
        return (new Factorisation(F($"relu:{n0},{n1},{n2}"), names, phi), laws);
    }

    /// <summary>φ = x0·x1·x2: laws x0² − x1², x1² − x2².</summary>
    public static (Factorisation Phi, List<ConservationLaw> Laws) Triple()
    {
        var phi = new Factorisation("x0*x1*x2", ["x0", "x1", "x2"], [X(0) * X(1) * X(2)]);
        return (phi, [
            new ConservationLaw("x0² − x1²", X(0).Pow(2) - X(1).Pow(2), "x0^2 - x1^2"),
            new ConservationLaw("x1² − x2²", X(1).Pow(2) - X(2).Pow(2), "x1^2 - x2^2"),
        ]);
    }

    /// <summary>φ = (x0 − x1, x2·x3): an affine law x0 + x1 (translation) and a rescale law x2² − x3².</summary>
    public static (Factorisation Phi, List<ConservationLaw> Laws) TranslationAndRescale()
    {
        var phi = new Factorisation("x0-x1, x2*x3", ["x0", "x1", "x2", "x3"], [X(0) - X(1), X(2) * X(3)]);
        return (phi, [
            new ConservationLaw("x0 + x1", X(0) + X(1), "x0 + x1"),
            new ConservationLaw("x2² − x3²", X(2).Pow(2) - X(3).Pow(2), "x2^2 - x3^2"),
        ]);
    }

    /// <summary>A law with every coefficient except the first scaled by 1.01 (a 1 % perturbation).</summary>
    public static ConservationLaw Perturbed(ConservationLaw law)
    {
        var terms = law.Law.Terms;
        var p = Polynomial.FromTerms(terms.Select((t, i) => (t.Monomial, i == 0 ? t.Coefficient * new Rational(101, 100) : t.Coefficient)));
        return new ConservationLaw(law.Name + " (perturbed 1%)", p, p.ToString());
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
