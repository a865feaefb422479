using System.Collections.Immutable;
using System.Globalization;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Laws.Dynamics;

/// <summary>The numeric checks of theory/07-laws-under-momentum.md#eq-7-5 … #eq-7-8 on one random loss ½|φ(θ) − y|²:
/// GD, heavy ball in PyTorch's form and GD with coupled weight decay, plus an RK4 integration of the damped flow.</summary>
internal sealed class DriftChecks
{
    /// <summary>Unit round-off of double.</summary>
    private const double Epsilon = 2.220446049250313e-16;

    /// <summary>Round-off allowance per step for an exactly conserved affine law: a few dozen flops per step on O(|θ|·|∇h|) values.</summary>
    private const double RoundOffPerStep = 64 * Epsilon;

    /// <summary>Accepted deviation of ln|cₙ| from the fitted line: cₙ = βⁿc₀ exactly, so only round-off of ⟨v, Kθ⟩
    /// (≈ ε·|v||Kθ|) relative to |cₙ| ≥ β^N|c₀| remains, far below this.</summary>
    private const double LogFitResidual = 1e-6;

    /// <summary>A lost law's drift must exceed the change under step halving by this factor: the drift is a property of
    /// the damped flow, not of the integrator.</summary>
    private const double ConvergenceMargin = 100;

    /// <summary>Accepted |Δh − Δh_KSB| relative to |Δh| + |Δh_KSB|: both come from the same RK4 trajectory at hω ≲ 0.1,
    /// whose error is O(h⁴) (measured ≲ 1e-8 on the fixtures).</summary>
    private const double KsbIdentityRelative = 1e-6;

    private readonly Factorisation _phi;
    private readonly DriftCheckOptions _options;
    private readonly LossModel _loss;
    private readonly double[] _theta0;
    private readonly double[] _buffer0;

    public DriftChecks(Factorisation phi, DriftCheckOptions options)
    {
        _phi = phi;
        _options = options;
        var rng = new Random(options.Seed);
        _loss = LossModel.Random(phi, rng);
        _theta0 = [.. Enumerable.Range(0, phi.Dimension).Select(_ => options.InitialScale * LossModel.Gaussian(rng))];
        _buffer0 = [.. Enumerable.Range(0, phi.Dimension).Select(_ => LossModel.Gaussian(rng))];
    }

    private int D => _phi.Dimension;

    /// <summary>GD (λ = 0) or GD with coupled weight decay: max over n ≤ T/η of |Q(θₙ, tₙ) − Q(θ₀, 0)| for each η.</summary>
    private ImmutableArray<double> Sweep(Func<double[], double, double> quantity, double lambda)
    {
        var drifts = ImmutableArray.CreateBuilder<double>();
        var g = new double[D];
        foreach (double eta in _options.LearningRates)
        {
            int steps = (int)Math.Round(_options.Horizon / eta);
            var theta = (double[])_theta0.Clone();
            double q0 = quantity(theta, 0), worst = 0;
            for (int n = 1; n <= steps; n++)
            {
                _loss.Gradient(theta, g);
                for (int i = 0; i < D; i++) theta[i] -= eta * (g[i] + (lambda * theta[i]));
                double dq = Math.Abs(quantity(theta, n * eta) - q0);
                if (!double.IsFinite(dq)) { worst = double.NaN; break; }
                worst = Math.Max(worst, dq);
            }
            drifts.Add(worst);
        }
        return drifts.ToImmutable();
    }

    /// <summary>Least-squares slope of ln(drift) on ln(η), NaN when a drift is not finite and positive.</summary>
    internal static double Slope(IReadOnlyList<double> etas, IReadOnlyList<double> drifts)
    {
        if (drifts.Any(d => !double.IsFinite(d) || !(d > 0))) return double.NaN;
        var x = etas.Select(e => Math.Log(e)).ToArray();
        var y = drifts.Select(d => Math.Log(d)).ToArray();
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
        }
        return sxy / sxx;
    }

    private DriftCheck OrderCheck(string subject, DriftCheckKind kind, ImmutableArray<double> drifts, string what)
    {
        double slope = Slope(_options.LearningRates, drifts);
        bool passed = double.IsFinite(slope) && Math.Abs(slope - 1) <= _options.SlopeTolerance;
        return new DriftCheck(subject, kind, passed, slope, 1, _options.SlopeTolerance,
            $"{what}: slope of ln(max drift over T = {F(_options.Horizon)}) against ln η; per step O(η²), over T/η steps O(η)",
            _options.LearningRates, drifts);
    }

    /// <summary>GD: a law of degree ≥ 2 drifts with slope 1; an affine law is exactly conserved (to round-off).</summary>
    public DriftCheck GradientDescent(ConservationLaw law)
    {
        var h = new CompiledPolynomial(law.Law);
        var drifts = Sweep((theta, _) => h.Evaluate(theta), 0);
        if (law.Law.TotalDegree <= 1 && !law.Law.IsZero) return Exact(law, drifts, DriftCheckKind.GradientDescentOrder, "GD");
        return OrderCheck(law.Name, DriftCheckKind.GradientDescentOrder, drifts, "GD, h(θₙ)");
    }

    /// <summary>GD with coupled weight decay: Σ_d e^(dλt)·h_d(θ) drifts with slope 1.</summary>
    public DriftCheck WeightDecay(ConservationLaw law, IReadOnlyList<int> degrees)
    {
        double lambda = _options.WeightDecay;
        var parts = PolynomialCalculus.HomogeneousParts(law.Law).ToDictionary(p => p.Degree, p => new CompiledPolynomial(p.Part));
        var scaled = degrees.Select(d => (Degree: d, Part: parts.TryGetValue(d, out var c) ? c : null)).ToArray();
        var rest = parts.Where(kv => !degrees.Contains(kv.Key)).Select(kv => kv.Value).ToArray();
        double Quantity(double[] theta, double t)
        {
            double s = 0;
            foreach (var (d, part) in scaled) if (part is not null) s += Math.Exp(d * lambda * t) * part.Evaluate(theta);
            foreach (var part in rest) s += part.Evaluate(theta);
            return s;
        }
        var drifts = Sweep(Quantity, lambda);
        return OrderCheck(law.Name, DriftCheckKind.WeightDecayOrder, drifts,
            $"GD + weight decay λ = {F(lambda)}, Σ_d e^(dλt)·h_d(θₙ) with d ∈ {{{string.Join(", ", degrees)}}}");
    }

    private DriftCheck Exact(ConservationLaw law, ImmutableArray<double> drifts, DriftCheckKind kind, string rule)
    {
        int steps = (int)Math.Round(_options.Horizon / _options.LearningRates.Min());
        double bound = RoundOff(law, steps);
        double worst = drifts.Any(d => !double.IsFinite(d)) ? double.NaN : drifts.Max();
        return new DriftCheck(law.Name, kind, double.IsFinite(worst) && worst <= bound, worst, 0, bound,
            $"{rule}: h is affine, so every step changes it by −η⟨∇h, g⟩ = 0 exactly; the bound is round-off ({F(RoundOffPerStep)} per step on the scale of h)",
            drifts.Length > 1 ? _options.LearningRates : [], drifts);
    }

    private double RoundOff(ConservationLaw law, int steps)
    {
        double scale = 1 + Math.Abs(new CompiledPolynomial(law.Law).Evaluate(_theta0))
            + (law.Law.Terms.Sum(t => Math.Abs(t.Coefficient.ToDouble())) * (1 + _theta0.Sum(Math.Abs)));
        return RoundOffPerStep * steps * scale;
    }

    /// <summary>Heavy ball in PyTorch's form (v₁ = g₀, v_{n+1} = βvₙ + gₙ, θ_{n+1} = θₙ − ηv_{n+1}); calls
    /// <paramref name="observe"/> with (n, θₙ, vₙ) for n = 0 … steps (v₀ the initial buffer or zero).</summary>
    private void HeavyBall(bool warmBuffer, Action<int, double[], double[]> observe)
    {
        double eta = _options.MomentumLearningRate, beta = _options.Momentum;
        var theta = (double[])_theta0.Clone();
        var v = warmBuffer ? (double[])_buffer0.Clone() : new double[D];
        var g = new double[D];
        observe(0, theta, v);
        for (int n = 1; n <= _options.MomentumSteps; n++)
        {
            _loss.Gradient(theta, g);
            bool first = n == 1 && !warmBuffer;
            for (int i = 0; i < D; i++)
            {
                v[i] = first ? g[i] : (beta * v[i]) + g[i];
                theta[i] -= eta * v[i];
            }
            observe(n, theta, v);
        }
    }

    /// <summary>Heavy ball from PyTorch's start keeps an affine law exactly: ⟨∇h, v_{n+1}⟩ = β⟨∇h, vₙ⟩ + ⟨∇h, gₙ⟩ = 0.</summary>
    public DriftCheck MomentumExact(ConservationLaw law)
    {
        var h = new CompiledPolynomial(law.Law);
        double h0 = h.Evaluate(_theta0), worst = 0;
        HeavyBall(false, (_, theta, _) =>
        {
            double dq = Math.Abs(h.Evaluate(theta) - h0);
            worst = double.IsFinite(dq) && double.IsFinite(worst) ? Math.Max(worst, dq) : double.NaN;
        });
        double bound = RoundOff(law, _options.MomentumSteps);
        return new DriftCheck(law.Name, DriftCheckKind.MomentumExact, double.IsFinite(worst) && worst <= bound, worst, 0, bound,
            $"heavy ball η = {F(_options.MomentumLearningRate)}, β = {F(_options.Momentum)}, PyTorch start, {_options.MomentumSteps} steps: h affine is conserved exactly; bound = round-off",
            [], [worst]);
    }

    /// <summary>Heavy ball from a random buffer v₀: the charge cₙ = ⟨vₙ, Kθₙ⟩ obeys c_{n+1} = βcₙ exactly; its fitted rate
    /// in t = nη is compared with the damped flow's 1/τ.</summary>
    public DriftCheck ChargeDecay(string subject, Rational[,] k, double predictedRate)
    {
        var kd = new double[D, D];
        for (int i = 0; i < D; i++) for (int j = 0; j < D; j++) kd[i, j] = k[i, j].ToDouble();
        var charges = new double[_options.MomentumSteps + 1];
        HeavyBall(true, (n, theta, v) =>
        {
            double c = 0;
            for (int i = 0; i < D; i++)
            {
                double kt = 0;
                for (int j = 0; j < D; j++) kt += kd[i, j] * theta[j];
                c += v[i] * kt;
            }
            charges[n] = c;
        });
        double eta = _options.MomentumLearningRate, beta = _options.Momentum;
        double x = (1 - beta) / (1 + beta);
        // −ln β / η against 2(1−β)/(η(1+β)): the ratio is artanh(x)/x = 1 + x²/3 + x⁴/5 + …, independent of η.
        double tolerance = predictedRate * ((0.5 * x * x) + 1e-9);
        bool finite = charges.All(double.IsFinite) && Math.Abs(charges[0]) > 0;
        double rate = double.NaN, residual = double.NaN;
        if (finite)
        {
            var t = Enumerable.Range(0, charges.Length).Select(n => n * eta).ToArray();
            var y = charges.Select(c => Math.Log(Math.Abs(c))).ToArray();
            (rate, residual) = FitRate(t, y);
        }
        bool passed = finite && double.IsFinite(rate) && residual <= LogFitResidual && Math.Abs(rate - predictedRate) <= tolerance;
        return new DriftCheck(subject, DriftCheckKind.ChargeDecayRate, passed, rate, predictedRate, tolerance,
            $"heavy ball η = {F(eta)}, β = {F(beta)}, {_options.MomentumSteps} steps from a random buffer: fitted rate of ln|⟨vₙ, Kθₙ⟩| in t = nη " +
            $"(discrete −ln β/η = {F(-Math.Log(beta) / eta)}, max fit residual {F(residual)} ≤ {F(LogFitResidual)}) against 1/τ = 2(1−β)/(η(1+β)); " +
            $"tolerance x²/2·(1/τ), x = (1−β)/(1+β), covers the exact gap artanh(x)/x − 1 ≈ x²/3",
            [], [.. charges]);
    }

    private static (double Rate, double Residual) FitRate(double[] t, double[] y)
    {
        double mt = t.Average(), my = y.Average(), sty = 0, stt = 0;
        for (int i = 0; i < t.Length; i++)
        {
            sty += (t[i] - mt) * (y[i] - my);
            stt += (t[i] - mt) * (t[i] - mt);
        }
        double slope = sty / stt, intercept = my - (slope * mt), residual = 0;
        for (int i = 0; i < t.Length; i++) residual = Math.Max(residual, Math.Abs(y[i] - (intercept + (slope * t[i]))));
        return (-slope, residual);
    }

    /// <summary>The damped flow m θ̈ + μθ̇ = −∇L from rest, integrated by RK4 together with s = ∫θ̇ᵀ∇²hθ̇ dt; returns
    /// Δh and the prediction τ·(s(T) − ḣ(T) + ḣ(0)) of #eq-7-3.</summary>
    private (double Drift, double Predicted) DampedFlow(ConservationLaw law, int steps)
    {
        double mass = _options.MomentumLearningRate * (1 + _options.Momentum) / 2, friction = 1 - _options.Momentum;
        double tau = mass / friction, dt = _options.Horizon / steps;
        var h = new CompiledPolynomial(law.Law);
        var hdot = new CompiledPolynomial(PolynomialCalculus.DirectionalDerivativeAlongVelocity(law.Law, D));
        var ksb = new CompiledPolynomial(PolynomialCalculus.HessianForm(law.Law, D));
        int size = (2 * D) + 1;
        var state = new double[size];
        Array.Copy(_theta0, state, D);
        var k1 = new double[size]; var k2 = new double[size]; var k3 = new double[size]; var k4 = new double[size];
        var tmp = new double[size]; var g = new double[D];
        void Rhs(double[] y, double[] dy)
        {
            _loss.Gradient(y.AsSpan(0, D), g);
            for (int i = 0; i < D; i++)
            {
                dy[i] = y[D + i];
                dy[D + i] = (-g[i] - (friction * y[D + i])) / mass;
            }
            dy[2 * D] = ksb.Evaluate(y);
        }
        double h0 = h.Evaluate(state), hdot0 = hdot.Evaluate(state);
        for (int n = 0; n < steps; n++)
        {
            Rhs(state, k1);
            for (int i = 0; i < size; i++) tmp[i] = state[i] + (0.5 * dt * k1[i]);
            Rhs(tmp, k2);
            for (int i = 0; i < size; i++) tmp[i] = state[i] + (0.5 * dt * k2[i]);
            Rhs(tmp, k3);
            for (int i = 0; i < size; i++) tmp[i] = state[i] + (dt * k3[i]);
            Rhs(tmp, k4);
            for (int i = 0; i < size; i++) state[i] += dt / 6 * (k1[i] + (2 * k2[i]) + (2 * k3[i]) + k4[i]);
        }
        return (h.Evaluate(state) - h0, tau * (state[2 * D] - hdot.Evaluate(state) + hdot0));
    }

    /// <summary>A lost law under the damped flow: Δh equals the kinetic-breaking prediction and is converged in the
    /// integrator step (it is a property of the flow, O(1) at fixed m and μ).</summary>
    public DriftCheck KineticBreaking(ConservationLaw law)
    {
        var (coarse, _) = DampedFlow(law, _options.FlowSteps);
        var (drift, predicted) = DampedFlow(law, 2 * _options.FlowSteps);
        double tolerance = KsbIdentityRelative * (Math.Abs(drift) + Math.Abs(predicted));
        double stepChange = Math.Abs(drift - coarse);
        bool finite = double.IsFinite(drift) && double.IsFinite(predicted) && double.IsFinite(coarse);
        bool converged = finite && Math.Abs(drift) >= ConvergenceMargin * stepChange && Math.Abs(drift) > 0;
        bool passed = finite && converged && Math.Abs(drift - predicted) <= tolerance;
        return new DriftCheck(law.Name, DriftCheckKind.KineticBreakingDrift, passed, drift, predicted, tolerance,
            $"damped flow m = {F(_options.MomentumLearningRate * (1 + _options.Momentum) / 2)}, μ = {F(1 - _options.Momentum)} from rest, RK4 with " +
            $"{2 * _options.FlowSteps} steps over T = {F(_options.Horizon)}: Δh against τ(∫θ̇ᵀ∇²hθ̇ dt − ḣ(T) + ḣ(0)) (relative {F(KsbIdentityRelative)}); " +
            $"|Δh| = {F(Math.Abs(drift))} must exceed {F(ConvergenceMargin)}× its change under step halving ({F(stepChange)})",
            [], [coarse, drift]);
    }

    private static string F(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
}
