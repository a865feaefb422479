namespace NoetherTheory.Symbolic;

/// <summary>The elementary functions known to the CAS. Each member has exactly one row in the internal function table
/// (derivative, numeric method, text and LaTeX names, parity, exact values).</summary>
/// <remarks>√x is not a function here: it is <c>Power(x, 1/2)</c>.</remarks>
public enum FunctionKind
{
    /// <summary>eˣ.</summary>
    Exp,
    /// <summary>Natural logarithm.</summary>
    Log,
    /// <summary>Sine.</summary>
    Sin,
    /// <summary>Cosine.</summary>
    Cos,
    /// <summary>Tangent.</summary>
    Tan,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Hyperbolic sine.</summary>
    Sinh,
    /// <summary>Hyperbolic cosine.</summary>
    Cosh,
    /// <summary>Absolute value.</summary>
    Abs,
}
