using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Dynamics;

/// <summary>A <see cref="Polynomial"/> over ℚ compiled to double evaluation: one coefficient and one list of
/// (variable, exponent) factors per term, evaluated in a single pass without allocation.</summary>
internal sealed class CompiledPolynomial
{
    private readonly double[] _coefficients;
    private readonly int[] _termStart;     // factors of term k are _variables/_exponents[_termStart[k] .. _termStart[k+1])
    private readonly int[] _variables;
    private readonly int[] _exponents;

    public CompiledPolynomial(Polynomial p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var terms = p.Terms;
        _coefficients = new double[terms.Length];
        _termStart = new int[terms.Length + 1];
        var variables = new List<int>();
        var exponents = new List<int>();
        for (int k = 0; k < terms.Length; k++)
        {
            _coefficients[k] = terms[k].Coefficient.ToDouble();
            _termStart[k] = variables.Count;
            foreach (var (v, e) in terms[k].Monomial.Factors)
            {
                variables.Add(v);
                exponents.Add(e);
            }
        }
        _termStart[terms.Length] = variables.Count;
        _variables = [.. variables];
        _exponents = [.. exponents];
        MaxVariable = _variables.Length == 0 ? -1 : _variables.Max();
    }

    /// <summary>The highest variable number used (−1 for a constant).</summary>
    public int MaxVariable { get; }

    /// <summary>The value at x (x[i] is variable i).</summary>
    public double Evaluate(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int k = 0; k < _coefficients.Length; k++)
        {
            double t = _coefficients[k];
            for (int f = _termStart[k]; f < _termStart[k + 1]; f++)
            {
                double b = x[_variables[f]];
                int e = _exponents[f];
                double power = b;
                for (int j = 1; j < e; j++) power *= b;
                t *= power;
            }
            sum += t;
        }
        return sum;
    }
}
