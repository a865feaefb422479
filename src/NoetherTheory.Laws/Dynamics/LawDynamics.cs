using System.Collections.Immutable;
using System.Globalization;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Dynamics;

/// <summary>Which conservation laws of gradient flow survive momentum and weight decay, decided exactly, and how much
/// every law drifts under the discrete optimizers, measured (issue #15, parts 3 and 4).</summary>
/// <remarks>theory/07-laws-under-momentum.md: weight decay #eq-7-2, the damped flow and kinetic breaking #eq-7-3,
/// the decaying charges #eq-7-4, discrete drift orders #eq-7-5 … #eq-7-7.</remarks>
public static class LawDynamics
{
    private const string AnchorGradient = "theory/07-laws-under-momentum.md#eq-7-1";
    private const string AnchorWeightDecay = "theory/07-laws-under-momentum.md#eq-7-2";
    private const string AnchorKsb = "theory/07-laws-under-momentum.md#eq-7-3";
    private const string AnchorCharge = "theory/07-laws-under-momentum.md#eq-7-4";

    /// <summary>The damping time τ = m/μ = η(1+β)/(2(1−β)) of heavy ball's damped flow, in units of t = nη
    /// (theory/01-learning-lagrangian.md#eq-1-8).</summary>
    /// <exception cref="ArgumentOutOfRangeException">η ≤ 0 or β outside [0, 1).</exception>
    public static double DampingTime(double learningRate, double momentum)
    {
        if (!(learningRate > 0) || !double.IsFinite(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "the learning rate must be a positive finite number.");
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "the momentum must lie in [0, 1).");
        return learningRate * (1 + momentum) / (2 * (1 - momentum));
    }

    /// <summary>Classifies every law under one flow, by exact polynomial identities over ℚ.</summary>
    /// <param name="factorisation">φ; the loss is any ℓ(φ(θ)).</param>
    /// <param name="laws">Gradient-flow laws of φ (each is re-checked: a non-law gets <see cref="LawFate.NotALaw"/>).</param>
    /// <param name="flow">The flow.</param>
    /// <exception cref="ArgumentException">φ has no parameters or no components, or a law uses a variable ≥ D.</exception>
    public static LawClassification Classify(Factorisation factorisation, IReadOnlyList<ConservationLaw> laws, Flow flow)
    {
        ArgumentNullException.ThrowIfNull(factorisation);
        ArgumentNullException.ThrowIfNull(laws);
        Validate(factorisation, laws);
        int d = factorisation.Dimension;
        var grads = factorisation.Components.Select(c => PolynomialCalculus.Gradient(c, d)).ToImmutableArray();
        var verdicts = laws.Select(law => Classify(factorisation, grads, law, flow)).ToImmutableArray();
        var charges = ImmutableArray<MomentumCharge>.Empty;
        string? note = null;
        if (flow == Flow.Momentum)
        {
            if (d > LinearSymmetries.MaxDimension)
                note = $"not computed: D = {d} > {LinearSymmetries.MaxDimension} (the exact elimination over D(D−1)/2 unknowns grows as its cube)";
            else
                charges = [.. LinearSymmetries.Solve(grads, d, antisymmetric: true).Select((k, i) => Charge(factorisation, k, i))];
        }
        return new LawClassification(factorisation, flow, verdicts, charges, note);
    }

    /// <summary>Classifies every law under one flow and tests each verdict numerically on a random loss ½|φ(θ) − y|² from
    /// a random θ₀: GD drift order (slope 1 over a fixed horizon), weight decay's rescaled quantity (slope 1), heavy ball's
    /// exact conservation of affine laws and the decay rate of the rotation charges, and the kinetic-breaking drift of
    /// lost laws under the damped flow. A non-law is run through the GD check, which it fails.</summary>
    /// <param name="factorisation">φ.</param>
    /// <param name="laws">Gradient-flow laws of φ.</param>
    /// <param name="flow">The flow.</param>
    /// <param name="options">Options, or null for <see cref="DriftCheckOptions.Default"/>.</param>
    /// <exception cref="ArgumentException">Bad factorisation, law or options (the message names the field).</exception>
    /// <remarks>theory/07-laws-under-momentum.md#eq-7-5 (GD), #eq-7-6 (weight decay), #eq-7-7 (heavy ball), #eq-7-8 (damped flow).</remarks>
    public static LawDynamicsReport Check(Factorisation factorisation, IReadOnlyList<ConservationLaw> laws, Flow flow, DriftCheckOptions? options = null)
    {
        options ??= DriftCheckOptions.Default;
        options.Validate();
        var classification = Classify(factorisation, laws, flow);
        var runs = new DriftChecks(factorisation, options);
        var checks = ImmutableArray.CreateBuilder<DriftCheck>();
        foreach (var v in classification.Verdicts)
        {
            switch (v.Fate)
            {
                case LawFate.NotALaw:
                case LawFate.Conserved when flow == Flow.Gradient:
                    checks.Add(runs.GradientDescent(v.Law));
                    break;
                case LawFate.ScaledBy:
                    checks.Add(runs.WeightDecay(v.Law, v.ScalingDegrees));
                    break;
                case LawFate.Conserved when flow == Flow.Momentum:
                    checks.Add(runs.MomentumExact(v.Law));
                    break;
                case LawFate.Lost when flow == Flow.Momentum:
                    checks.Add(runs.KineticBreaking(v.Law));
                    break;
                default:
                    break;   // a constant law, or a law lost to weight decay: nothing to measure
            }
        }
        if (flow == Flow.Momentum)
        {
            double rate = 1 / DampingTime(options.MomentumLearningRate, options.Momentum);
            foreach (var c in classification.Charges) checks.Add(runs.ChargeDecay(c.Name, ToArray(c.Generator), rate));
        }
        return new LawDynamicsReport(classification, options, checks.ToImmutable());
    }

    internal static Rational[,] ToArray(ImmutableArray<ImmutableArray<Rational>> rows)
    {
        var a = new Rational[rows.Length, rows.Length];
        for (int i = 0; i < rows.Length; i++)
            for (int j = 0; j < rows.Length; j++) a[i, j] = rows[i][j];
        return a;
    }

    internal static void Validate(Factorisation factorisation, IReadOnlyList<ConservationLaw> laws)
    {
        int d = factorisation.Dimension;
        if (d == 0) throw new ArgumentException($"Factorisation '{factorisation.Name}' has no parameters.", nameof(factorisation));
        if (factorisation.Components.Count == 0) throw new ArgumentException($"Factorisation '{factorisation.Name}' has no components φᵢ.", nameof(factorisation));
        for (int i = 0; i < factorisation.Components.Count; i++)
            if (PolynomialCalculus.MaxVariable(factorisation.Components[i]) >= d)
                throw new ArgumentException($"Component φ{i} of '{factorisation.Name}' uses variable {PolynomialCalculus.MaxVariable(factorisation.Components[i])}, but there are only {d} parameters.", nameof(factorisation));
        foreach (var law in laws)
        {
            ArgumentNullException.ThrowIfNull(law);
            if (PolynomialCalculus.MaxVariable(law.Law) >= d)
                throw new ArgumentException($"Law '{law.Name}' uses variable {PolynomialCalculus.MaxVariable(law.Law)}, but '{factorisation.Name}' has only {d} parameters.", nameof(laws));
        }
    }

    /// <summary>The first component i with ⟨∇h, ∇φᵢ⟩ ≢ 0 and that term, or (−1, 0) when h is a law (exact).</summary>
    internal static (int Component, Polynomial Term) LawDefect(ImmutableArray<ImmutableArray<Polynomial>> grads, Polynomial h, int d)
    {
        var gh = PolynomialCalculus.Gradient(h, d);
        for (int i = 0; i < grads.Length; i++)
        {
            var t = PolynomialCalculus.Dot(gh, grads[i]);
            if (!t.IsZero) return (i, t);
        }
        return (-1, Polynomial.Zero);
    }

    private static LawVerdict Classify(Factorisation phi, ImmutableArray<ImmutableArray<Polynomial>> grads, ConservationLaw law, Flow flow)
    {
        int d = phi.Dimension;
        var names = phi.Parameters;
        var h = law.Law;
        var generator = GeneratorOf(h);
        var (component, defect) = LawDefect(grads, h, d);
        if (component >= 0)
            return new LawVerdict(law, flow, LawFate.NotALaw, "nothing",
                $"⟨∇h, ∇φ{component}⟩ is not identically zero (exact over ℚ), so h is not conserved by gradient flow",
                defect, PolynomialText.Format(defect, names), [], generator, AnchorGradient);

        switch (flow)
        {
            case Flow.Gradient:
                return new LawVerdict(law, flow, LawFate.Conserved, "h",
                    "⟨∇h, ∇φᵢ⟩ ≡ 0 for every i (exact over ℚ), so dh/dt = −⟨∇h, J_φᵀ∇ℓ⟩ = 0 for every loss ℓ(φ)",
                    null, null, [], generator, AnchorGradient);
            case Flow.WeightDecay:
                return WeightDecay(phi, grads, law, generator);
            case Flow.Momentum:
                var ksb = PolynomialCalculus.HessianForm(h, d);
                if (ksb.IsZero)
                    return new LawVerdict(law, flow, LawFate.Conserved, "h + τ·⟨∇h, θ̇⟩ (h itself when started at rest or with PyTorch's first step)",
                        "θ̇ᵀ∇²hθ̇ ≡ 0 (h affine, exact), so m·ḧ + μ·ḣ = −⟨∇h, ∇L⟩ = 0: ḣ decays as e^(−t/τ) and h + τḣ is constant",
                        null, null, [], generator, AnchorKsb);
                return new LawVerdict(law, flow, LawFate.Lost, "nothing (the charge m⟨θ̇, ∇h⟩ is driven by kinetic symmetry breaking)",
                    "d/dt(m⟨θ̇, ∇h⟩) + (μ/m)·m⟨θ̇, ∇h⟩ = m·θ̇ᵀ∇²hθ̇, and θ̇ᵀ∇²hθ̇ is not identically zero (exact over ℚ): the generator ∇h is not an isometry of the kinetic energy",
                    ksb, "m*(" + PolynomialText.Format(ksb, names) + ")", [], generator, AnchorKsb);
            default:
                throw new ArgumentOutOfRangeException(nameof(flow), flow, "unknown flow.");
        }
    }

    private static LawVerdict WeightDecay(Factorisation phi, ImmutableArray<ImmutableArray<Polynomial>> grads, ConservationLaw law, GeneratorKind generator)
    {
        int d = phi.Dimension;
        var parts = PolynomialCalculus.HomogeneousParts(law.Law).Where(p => p.Degree > 0).ToList();
        if (parts.Count == 0)
            return new LawVerdict(law, Flow.WeightDecay, LawFate.Conserved, "h (a constant)", "h is constant", null, null, [], generator, AnchorWeightDecay);
        if (parts.Count > 1)
        {
            foreach (var (degree, part) in parts)
            {
                var (component, defect) = LawDefect(grads, part, d);
                if (component >= 0)
                    return new LawVerdict(law, Flow.WeightDecay, LawFate.Lost, "nothing of the form Σ_d c_d(t)·h_d",
                        $"the degree-{degree} part of h is not a law: ⟨∇h_{degree}, ∇φ{component}⟩ ≢ 0 (exact), so the parts cannot be rescaled separately",
                        defect, PolynomialText.Format(defect, phi.Parameters), [], generator, AnchorWeightDecay);
            }
        }
        var degrees = parts.Select(p => p.Degree).ToImmutableArray();
        string quantity = parts.Count == 1
            ? $"h·e^({Factor(degrees[0])}λt)"
            : "h(θ·e^(λt)) = " + string.Join(" + ", degrees.Select(k => $"e^({Factor(k)}λt)·h_{k}"));
        string reason = parts.Count == 1
            ? $"h is homogeneous of degree {degrees[0]}: ⟨∇h, θ⟩ = {degrees[0]}·h (Euler), so dh/dt = −{degrees[0]}λh"
            : "every homogeneous part h_d is itself a law (exact), and d/dt h_d = −dλ·h_d";
        return new LawVerdict(law, Flow.WeightDecay, LawFate.ScaledBy, quantity, reason, null, null, degrees, generator, AnchorWeightDecay);
    }

    private static string Factor(int degree) => degree == 1 ? "" : degree.ToString(CultureInfo.InvariantCulture);

    private static GeneratorKind GeneratorOf(Polynomial h) => h.TotalDegree switch
    {
        <= 1 => GeneratorKind.Translation,
        2 => GeneratorKind.Symmetric,
        _ => GeneratorKind.Nonlinear,
    };

    private static MomentumCharge Charge(Factorisation phi, Rational[,] k, int index)
    {
        int d = phi.Dimension;
        var xi = LinearSymmetries.Apply(k, d);
        var velocity = Enumerable.Range(0, d).Select(i => Polynomial.Variable(PolynomialCalculus.Velocity(d, i))).ToArray();
        var charge = PolynomialCalculus.Dot(velocity, xi);
        var rows = Enumerable.Range(0, d).Select(i => Enumerable.Range(0, d).Select(j => k[i, j]).ToImmutableArray()).ToImmutableArray();
        return new MomentumCharge($"rotation {index + 1}", rows, charge, "m*(" + PolynomialText.Format(charge, phi.Parameters) + ")");
    }

    /// <summary>The kinetic symmetry breaking θ̇ᵀAθ̇ of a linear generator ξ = Aθ per unit mass (variables as in
    /// <see cref="LawVerdict.BreakingTerm"/>); identically zero exactly when A is antisymmetric.</summary>
    internal static Polynomial KineticBreaking(Rational[,] a, int dimension)
    {
        var xiDot = LinearSymmetries.Apply(a, dimension)
            .Select(p => p.Substitute(Enumerable.Range(0, dimension).ToDictionary(i => i, i => Polynomial.Variable(PolynomialCalculus.Velocity(dimension, i)))))
            .ToArray();
        var velocity = Enumerable.Range(0, dimension).Select(i => Polynomial.Variable(PolynomialCalculus.Velocity(dimension, i))).ToArray();
        return PolynomialCalculus.Dot(velocity, xiDot);
    }
}
