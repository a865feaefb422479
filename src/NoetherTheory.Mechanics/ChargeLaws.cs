using System.Collections.Immutable;
using System.Globalization;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <summary>Charge-level laws derived from the equations of motion, not typed in (theory/03-noether.md#eq-3-8 … eq-3-13).</summary>
internal static class ChargeLaws
{
    private const string AnchorGreen = "theory/03-noether.md#eq-3-12";
    private const string AnchorOverdamped = "theory/03-noether.md#eq-3-7";
    private const string AnchorNm = "theory/03-noether.md#eq-3-13";
    private static readonly Symbol T = Coordinates.Time;

    public delegate void CheckSink(string name, string statement, Expr expression, string anchor);

    public static ChargeLaw Derive(ModifiedEquation me, ImmutableArray<Coordinate> coords, ImmutableArray<Expr> xi, Expr loss,
        EquationsOfMotion eom, JetSpace jet, Func<Expr, Expr> inv, CheckSink check)
    {
        int n = coords.Length;
        var (m, mu, kappa) = (me.Mass, me.Friction, me.WeightDecay);
        var q = coords.Select(c => c.Q).ToArray();
        var none = (ChargeLawObstruction reason) => ChargeLaw.NoLaw(m, mu, reason);
        var jac = new Expr[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                jac[i, j] = xi[i].Differentiate(q[j]);
                foreach (var s in q)
                    if (jac[i, j].Contains(s))
                        return none(ChargeLawObstruction.NonlinearGenerator);
            }
        bool symmetric = true, skew = true;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                symmetric &= jac[i, j].Equals(jac[j, i]);
                skew &= jac[i, j].Equals(-jac[j, i]);
            }
        // Gradient-flow (overdamped) limit: η → 0 at fixed β, k: μ₀q̇ = −∇V₀.
        var eta = Coordinates.Eta;
        var mu0 = mu.Substitute(eta, Expr.Zero);
        var kappa0 = kappa.Substitute(eta, Expr.Zero);
        var v0 = loss + (Expr.Half * kappa0 * Terms.Dot([.. q], [.. q]));
        var flow = coords.ToDictionary(c => (Expr)c.QDot, c => -v0.Differentiate(c.Q) / mu0);

        bool allZero = Enumerable.Range(0, n).All(i => Enumerable.Range(0, n).All(j => jac[i, j].Equals(Expr.Zero)));
        if (symmetric && (!skew || allZero))
        {
            var zero = q.ToDictionary(s => (Expr)s, _ => Expr.Zero);
            var b = xi.Select(e => e.Substitute(zero)).ToArray();
            bool translation = Enumerable.Range(0, n).All(i => Enumerable.Range(0, n).All(j => jac[i, j].Equals(Expr.Zero)));
            bool mixed = !translation && b.Any(x => !x.Equals(Expr.Zero));
            if (mixed) return none(ChargeLawObstruction.AffineGenerator);
            var c = Expr.Add(Enumerable.Range(0, n).Select(i => Expr.Half * (xi[i] + b[i]) * q[i]));
            var x = (translation ? c : 2 * c).Expand();
            bool scale = !translation && Enumerable.Range(0, n).All(i => jac[i, i].Equals(Expr.Zero) || jac[i, i].Equals(Expr.One));
            string name = translation ? "y" : scale ? "x" : "z";
            var xd = jet.TotalTimeDerivative(x);
            var xdd = jet.TotalTimeDerivative(xd);
            var source = m * Expr.Add(from i in Enumerable.Range(0, n)
                                      from j in Enumerable.Range(0, n)
                                      select x.Differentiate(q[i]).Differentiate(q[j]) * coords[i].QDot * coords[j].QDot);
            var rest = inv(eom.OnShell((m * xdd) + (mu * xd))) - source;
            // λ from one generic point (then verified symbolically for all q by the zero test below).
            var lambda = Stiffness(rest, x, coords);
            if (lambda is null) return none(ChargeLawObstruction.NotAMultiple);
            check($"charge law for {name}", $"m·{name}'' + mu·{name}' + lambda·{name} = source on-shell, {name} = {DerivationFormatter.P(x)}",
                inv(eom.OnShell((m * xdd) + (mu * xd) + (lambda * x) - source)), LawAnchor(translation, scale));
            var lambda0 = lambda.Substitute(eta, Expr.Zero);
            var flowRate = inv(xd.Substitute(flow));
            check($"overdamped limit of the {name} law", $"mu0·{name}' + lambda0·{name} = 0 under gradient flow mu0·qdot = −grad V0",
                ((mu0 * flowRate) + (lambda0 * x)).Together().Numerator, AnchorOverdamped);
            check($"gradient-flow conservation of {name} (eta = k = 0)", $"{name}' = 0 under gradient flow without weight decay (Neural Mechanics)",
                flowRate.Substitute(Coordinates.K, Expr.Zero).Together().Numerator, AnchorNm);
            var green = Green(m, mu, lambda);
            foreach (var (nm, e) in GreenChecks.Value) check(nm, "Green's functions solve x'' + 2 gamma x' + omega² x = 0 with their initial data", e.Expression, AnchorGreen);
            return new ChargeLaw(ChargeLawKind.Oscillator, name, x, m, mu, lambda, source, green, mu0, lambda0, me.DampingTime, null);
        }
        if (skew)
        {
            // l decays on the fast scale tau = m/mu = O(eta). When the mass came from reducing a Hessian term with the
            // leading-order equation (valid for slow solutions only), m — and so tau — is not the rate the rule has: the
            // generated check measures qhm's l decaying at 1 − beta per step where this tau gives (1 − beta)/nu.
            if (me.Reduction is not null) return none(ChargeLawObstruction.FastLawAfterHessianReduction);
            var ell = Terms.Dot(coords.Select(c => (Expr)c.QDot).ToArray(), xi);
            var tau = me.DampingTime;
            check("rotation law", "l' + l/tau = 0 on-shell, l = <qdot, K q>", inv(eom.OnShell(jet.TotalTimeDerivative(ell) + (ell / tau))),
                "theory/03-noether.md#eq-3-11");
            check("velocity constraint under gradient flow", "<qdot, K q> = 0 under gradient flow (no conserved function)",
                inv(ell.Substitute(flow)).Together().Numerator, AnchorOverdamped);
            return new ChargeLaw(ChargeLawKind.Decay, "l", ell, m, mu, Expr.Zero, Expr.Zero, null, mu0, Expr.Zero, tau, null);
        }
        return none(ChargeLawObstruction.NeitherSymmetricNorSkew);
    }

    private static string LawAnchor(bool translation, bool scale) =>
        translation ? "theory/03-noether.md#eq-3-8" : scale ? "theory/03-noether.md#eq-3-9" : "theory/03-noether.md#eq-3-10";

    private static Expr? Stiffness(Expr rest, Expr x, ImmutableArray<Coordinate> coords)
    {
        for (int attempt = 0; attempt < 3; attempt++)
        {
            // q_i = (3·attempt + i + 1)²: not an arithmetic progression in i, so a linear quantity such as q0 − 2q1 + q2
            // does not vanish at every sample point (λ is verified symbolically afterwards, so any point is sound).
            var point = new Dictionary<Expr, Expr>();
            for (int i = 0; i < coords.Length; i++)
            {
                int qi = (attempt * 3) + i + 1;
                point[coords[i].Q] = Expr.Number(qi * qi);
                point[coords[i].QDot] = Expr.Number((attempt * 5) + (2 * i) + 1);
            }
            var xv = x.Substitute(point);
            if (xv.Equals(Expr.Zero)) continue;
            var lambda = RationalCancel.Cancel(RationalCancel.Cancel(RationalCancel.RealPowers(-rest.Substitute(point) / xv)));
            bool state = lambda.FreeSymbols().Any(s => s.Name is Coordinates.QName or Coordinates.QDotName or Coordinates.QDDotName) || HasApply(lambda);
            return state ? null : lambda;
        }
        return null;
    }

    private static bool HasApply(Expr e) => e is Apply || e.Children.Any(HasApply);

    public static GreenFunctions Green(Expr m, Expr mu, Expr lambda)
    {
        var gamma = mu / (2 * m);
        var omega2 = lambda / m;
        return new GreenFunctions(gamma, omega2, RationalCancel.Cancel((gamma * gamma) - omega2), GreenRegimes.Value);
    }

    private static readonly Symbol Gamma = Expr.Symbol("gamma");
    private static readonly Symbol Omega = Expr.Symbol("Omega");
    private static readonly Symbol AlphaP = Expr.Symbol("alpha_p");
    private static readonly Symbol AlphaM = Expr.Symbol("alpha_m");

    private static readonly Lazy<ImmutableArray<GreenRegime>> GreenRegimes = new(() =>
    [
        new("under-damped", "gamma² < omega², Omega = sqrt(omega² − gamma²)",
            Expr.Exp(-Gamma * T) * (Expr.Cos(Omega * T) + (Gamma / Omega * Expr.Sin(Omega * T))),
            Expr.Exp(-Gamma * T) * Expr.Sin(Omega * T) / Omega),
        new("critically damped", "gamma² = omega²", Expr.Exp(-Gamma * T) * (1 + (Gamma * T)), T * Expr.Exp(-Gamma * T)),
        new("over-damped", "gamma² > omega², alpha_p/alpha_m = −gamma ± sqrt(gamma² − omega²)",
            ((AlphaP * Expr.Exp(AlphaM * T)) - (AlphaM * Expr.Exp(AlphaP * T))) / (AlphaP - AlphaM),
            (Expr.Exp(AlphaP * T) - Expr.Exp(AlphaM * T)) / (AlphaP - AlphaM)),
    ]);

    /// <summary>Each regime's H and G solve the homogeneous ODE with H(0)=1, H'(0)=0, G(0)=0, G'(0)=1 (computed once).</summary>
    private static readonly Lazy<ImmutableArray<(string, IdentityCheck)>> GreenChecks = new(() =>
    {
        var list = ImmutableArray.CreateBuilder<(string, IdentityCheck)>();
        var omega2 = new[] { (Gamma * Gamma) + (Omega * Omega), Gamma * Gamma, AlphaP * AlphaM };
        var gammas = new Expr[] { Gamma, Gamma, -(AlphaP + AlphaM) / 2 };
        var w = Expr.Symbols("w", 6);
        for (int r = 0; r < 3; r++)
        {
            var regime = GreenRegimes.Value[r];
            Expr Ode(Expr y) => y.Differentiate(T, 2) + (2 * gammas[r] * y.Differentiate(T)) + (omega2[r] * y);
            Expr At0(Expr y) => y.Substitute(T, Expr.Zero);
            var h = regime.Homogeneous;
            var g = regime.Impulse;
            var e = (w[0] * Ode(h)) + (w[1] * Ode(g)) + (w[2] * (At0(h) - 1)) + (w[3] * At0(h.Differentiate(T)))
                    + (w[4] * At0(g)) + (w[5] * (At0(g.Differentiate(T)) - 1));
            string name = "Green's functions, " + regime.Name;
            list.Add((name, new IdentityCheck(name, "", e, ZeroTest.Run(e), AnchorGreen)));
        }
        return list.ToImmutable();
    });

    public static AdaptiveOptimization? Adaptive(ModifiedEquation me, ChargeLaw law, ImmutableArray<Expr> xi, ImmutableArray<Coordinate> coords,
        Catalog catalog, CheckSink check)
    {
        var blockIdx = Enumerable.Range(0, coords.Length).Where(i => !xi[i].Equals(Expr.Zero)).ToArray();
        var qdA = Expr.Add(blockIdx.Select(i => Expr.Pow(coords[i].QDot, 2)));
        var unit = coords.ToDictionary(c => (Expr)c.QDot, c => blockIdx.Contains(Index(c)) ? Expr.One : Expr.Zero);
        var sigma = law.Source.Substitute(unit) / blockIdx.Length;
        if (!(law.Source - (sigma * qdA)).Expand().Equals(Expr.Zero)) return null;
        var eta = Coordinates.Eta;
        var mu0 = me.Friction.Substitute(eta, Expr.Zero);
        var (xs, xd, xdd, w) = (Expr.Symbol("x"), Expr.Symbol("xdot"), Expr.Symbol("xddot"), Expr.Symbol("w"));
        var (y, yd, s, r) = (Expr.Symbol("y"), Expr.Symbol("ydot"), Expr.Symbol("s"), Expr.Symbol("r"));
        var lawExpr = (law.Mass * xdd) + (law.Friction * xd) + (law.Stiffness * xs) - (sigma * w);
        (Expr D, Expr Gain) Reduce(Expr velocity2)
        {
            // Drop inertia, |qdot_A|² = s/(c·x) (terminal angular velocity), y = x² = r⁴.
            var e = lawExpr.Substitute(new Dictionary<Expr, Expr> { [xdd] = Expr.Zero, [w] = velocity2 / xs })
                .Substitute(new Dictionary<Expr, Expr> { [xs] = Expr.Sqrt(y), [xd] = yd / (2 * Expr.Sqrt(y)) });
            var form = (e * Expr.Sqrt(y)).Expand().Coefficients([yd, y, s]);
            return (RationalCancel.Cancel(form.Coefficients[1] / form.Coefficients[0]), RationalCancel.Cancel(-form.Coefficients[2] / form.Coefficients[0]));
        }
        var (decay, gainP) = Reduce(s / (mu0 * mu0));
        var (_, gainW) = Reduce(s / (mu0 * (2 - mu0)));
        var yP = RationalCancel.Cancel(gainP * s / decay);
        var yW = RationalCancel.Cancel(gainW * s / decay);
        // The closed forms above assume heavy ball's buffer statistics; the rule's own update decides (BufferStatistics).
        // Where they agree to leading order the forms are kept verbatim; otherwise the derived statistics replace them.
        var stats = BufferStatistics.Derive(me.Rule);
        if (stats.SteadyStatePersistent is { } dp && !BufferStatistics.SameLeadingOrder(yP, dp))
        {
            yP = dp;
            gainP = RationalCancel.CancelWithRoots(decay * dp / s);
        }
        Expr? yWhite = yW, gainWhite = gainW;
        if (stats.SteadyStateWhite is { } dw)
        {
            if (!BufferStatistics.SameLeadingOrder(yW, dw))
            {
                yWhite = dw;
                gainWhite = RationalCancel.CancelWithRoots(decay * dw / s);
            }
        }
        else (yWhite, gainWhite) = (null, null);
        check("r^4 steady state solves the scale law", "lambda·x² = sigma·s/mu0² at x² = r⁴* (persistent gradients, inertia dropped)",
            ((law.Stiffness * yP) - (sigma * s / (mu0 * mu0))).Together().Numerator, "theory/05-learning-dynamics.md#eq-5-4");
        var h = me.Step;
        var discount = RationalCancel.Cancel(1 - (h * decay));
        var etaEff = h / (mu0 * r * r);
        Expr? amplification = me.Rule.Hyperparameters.Any(p => p.Name == "beta")
            ? RationalCancel.Cancel(gainP / gainP.Substitute(Coordinates.Beta, Expr.Zero)) : null;
        var acc = catalog.Rules.FirstOrDefault(x => x.Kind == RuleKind.Accumulator);
        return new AdaptiveOptimization(decay, gainP, gainWhite, yP, yWhite, discount, etaEff, amplification, mu0,
            acc is null ? null : BackwardErrorAnalysis.DeriveAccumulator(acc))
        {
            WhiteNoiseNotDerived = yWhite is null ? stats.NotDerived ?? "white-noise statistics not derived" : null,
            WhiteNoiseFromRuleStatistics = yWhite is not null && !ReferenceEquals(yWhite, yW),
        };
    }

    private static int Index(Coordinate c) => c.Q.Index ?? throw new InvalidOperationException("coordinate without index");
}

/// <summary>Głuch–Urbanke statements for linear nets and augmentation-invariant layers (our reconstruction, theory/03-noether.md#eq-3-14).</summary>
public static class GluchUrbanke
{
    /// <summary>Derives the balance matrix and/or the data-augmentation constraint of a model and checks them.</summary>
    /// <remarks>theory/03-noether.md#eq-3-14, theory/03-noether.md#eq-3-15.</remarks>
    /// <exception cref="NoetherTheoryException">The model is abstract.</exception>
    public static ModelLaws Derive(ModelDefinition model, DerivationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.IsAbstract) throw new NoetherTheoryException($"Model '{model.Id}' is abstract; the Głuch–Urbanke laws need a concrete loss.");
        options ??= DerivationOptions.Default;
        var q = Coordinates.Q(model.Dimension);
        var f = model.Loss;
        var grad = f.Gradient(q);
        var checks = new List<IdentityCheck>();
        var balance = ImmutableArray.CreateBuilder<Expr>();
        var constraint = ImmutableArray.CreateBuilder<Expr>();
        var (eta, k) = (Coordinates.Eta, Coordinates.K);
        if (!model.Balance.IsEmpty)
        {
            var (w1, w2) = (model.Matrices[model.Balance[0]], model.Matrices[model.Balance[1]]);
            int hid = w1.Rows;
            Expr Bal(Func<int, Expr> e, int a, int b) =>
                Expr.Add(Enumerable.Range(0, w1.Columns).Select(c => e(w1.Index(a, c)) * e(w1.Index(b, c))))
                - Expr.Add(Enumerable.Range(0, w2.Rows).Select(r => e(w2.Index(r, a)) * e(w2.Index(r, b))));
            var step = q.ToDictionary(s => (Expr)s, s => s - (eta * (grad[s.Index!.Value] + (k * s))));
            for (int a = 0; a < hid; a++)
                for (int b = 0; b < hid; b++)
                {
                    var d = Bal(i => q[i], a, b);
                    balance.Add(d);
                    if (b < a) continue;
                    var rate = Expr.Add(q.Select((s, i) => d.Differentiate(s) * -grad[i]));
                    string at = string.Create(CultureInfo.InvariantCulture, $"[{a},{b}]");
                    checks.Add(Check($"balance {at} conserved by gradient flow", "d/dt (W1 W1^T − W2^T W2) = 0 when qdot = −grad f", rate, options));
                    var drift = d.Substitute(step) - ((1 - (eta * k)) * (1 - (eta * k)) * d) - (eta * eta * Bal(i => grad[i], a, b));
                    checks.Add(Check($"balance {at} GD drift", "D(W − eta(G + kW)) = (1 − eta k)² D + eta²(G1 G1^T − G2^T G2), exactly", drift, options));
                }
        }
        if (model.Augmentation is { } name)
        {
            var w = model.Matrices[name];
            for (int a = 0; a < w.Columns; a++)
                for (int b = 0; b < w.Columns; b++)
                {
                    Expr WtG(int x, int y) => Expr.Add(Enumerable.Range(0, w.Rows).Select(r => q[w.Index(r, x)] * grad[w.Index(r, y)]));
                    var sk = Expr.Half * (WtG(a, b) - WtG(b, a));
                    constraint.Add(sk);
                    if (b <= a) continue;
                    checks.Add(Check(string.Create(CultureInfo.InvariantCulture, $"augmentation constraint skew(W^T G)[{a},{b}]"),
                        "W^T grad_W f is symmetric, so skew(W^T Wdot) = 0 under gradient flow", sk, options));
                }
        }
        return new ModelLaws(model, balance.ToImmutable(), constraint.ToImmutable(), [.. checks]);
    }

    private static IdentityCheck Check(string name, string statement, Expr e, DerivationOptions options) =>
        new(name, statement, e, ZeroTest.Run(e, options.ZeroTest), name.StartsWith("augmentation", StringComparison.Ordinal)
            ? "theory/03-noether.md#eq-3-15" : "theory/03-noether.md#eq-3-14");
}
