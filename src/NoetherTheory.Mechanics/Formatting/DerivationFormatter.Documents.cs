using System.Collections.Immutable;
using NoetherTheory.Core.Documents;
using NoetherTheory.Symbolic;

namespace NoetherTheory.Mechanics;

/// <content>Derivations mapped onto the <c>noether.derive/1</c> document (field meanings: src/NoetherTheory.Mechanics/JSON.md).</content>
public static partial class DerivationFormatter
{
    /// <summary>Machine-readable JSON of one derivation (the document's result record).</summary>
    public static string ToJson(DerivationResult result) => ResultDocuments.Serialize(ToRecord(result));

    /// <summary>The whole catalog as a <c>noether.derive/1</c> JSON document.</summary>
    public static string ToJson(CatalogDerivation all) => ResultDocuments.Serialize(ToDocument(all));

    /// <summary>The whole catalog as a <c>noether.derive/1</c> document.</summary>
    public static DeriveDocument ToDocument(CatalogDerivation all)
    {
        ArgumentNullException.ThrowIfNull(all);
        return new DeriveDocument(all.AllHold, all.CheckCount, Math.Round(all.Elapsed.TotalSeconds, 3),
            [.. all.Results.Select(ToRecord)],
            [.. all.Accumulators.Select(a =>
            {
                var pr = Presenter.For(a.Rule);
                return new AccumulatorRecord(a.Rule.Id, Expression(a.Equation, pr), Expression(a.Decay, pr), Expression(a.Gain, pr), a.Solution);
            })],
            [.. all.ModelLaws.Select(m => new ModelLawsRecord(m.Model.Id, m.AllHold, Texts(m.BalanceMatrix), Texts(m.Constraint), Checks(m.Checks)))],
            all.NotDerived.IsEmpty ? null : [.. all.NotDerived.Select(n => new NotDerivedRecord(n.Rule.Id, n.Rule.Kind.ToString().ToLowerInvariant(), n.Reason))]);
    }

    /// <summary>One derivation as the document's result record.</summary>
    public static DerivationRecord ToRecord(DerivationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var r = result;
        var me = r.ModifiedEquation;
        var pr = Presenter.For(r.Rule);
        ExpressionRecord Expression(Expr e) => DerivationFormatter.Expression(e, pr);
        return new DerivationRecord(
            r.Rule.Id, r.Symmetry.Id,
            new DerivedModelRecord(r.ModelSpec.Source.ToString().ToLowerInvariant(), r.ModelName, r.Dimension, r.IsAbstract, Expression(r.Loss)),
            new ModifiedEquationRecord(Expression(me.TwoStep), Expression(me.Step), Expression(me.FirstOrder), me.Reduction,
                Expression(me.Mass), Expression(me.Friction), Expression(me.WeightDecay), Expression(me.DampingTime)),
            Expression(r.Potential), Expression(r.Kinetic), Expression(r.Lagrangian),
            new EquationsOfMotionRecord([.. r.Equations.MassMatrix.Select(row => (IReadOnlyList<string>)[.. row.Select(x => x.ToString())])],
                Texts(r.Equations.Forcing)),
            Texts(r.Generator), Expression(r.Charge), Expression(r.CanonicalCharge), Expression(r.KineticBreaking),
            Expression(r.WeightDecayBreaking), Expression(r.LossBreaking),
            new ChargeEquationRecord(Expression(r.ChargeEquationLeft), Expression(r.ChargeEquationRight)),
            [.. r.Verdicts.All.Select(v => new VerdictRecord(v.Name, v.Outcome.ToString().ToLowerInvariant(), Expression(v.Term),
                v.Result is null ? null : ZeroTest(v.Result), v.Anchor))],
            r.Law is { } law ? Law(law, r.Rule, pr) : null,
            r.Adaptive is { } a ? Adaptive(a, pr) : null,
            Checks(r.Checks), r.AllHold,
            [.. Glossary.For(r, pr).Select(g => new GlossaryRecord(g.Symbol, g.Latex, g.Meaning, g.Units))]);
    }

    private static ChargeLawRecord Law(ChargeLaw law, LearningRule rule, Presenter pr) =>
        new(law.Kind.ToString().ToLowerInvariant(), law.Quantity, Expression(law.Value, pr), Expression(law.Stiffness, pr), Expression(law.Source, pr),
            Statement(law, pr), Overdamped(law, rule, pr), Reason(law),
            law.Green is { } g
                ? new GreenRecord(Expression(g.Gamma, pr), Expression(g.OmegaSquared, pr), Expression(g.Discriminant, pr),
                    [.. g.Regimes.Select(x => new GreenRegimeRecord(x.Name, x.Condition, Expression(x.Homogeneous, pr), Expression(x.Impulse, pr)))])
                : null);

    private static AdaptiveRecord Adaptive(AdaptiveOptimization a, Presenter pr) =>
        new(Expression(a.Decay, pr), Expression(a.GainPersistent, pr), a.GainWhite is null ? null : Expression(a.GainWhite, pr),
            Expression(a.SteadyStatePersistent, pr), a.SteadyStateWhite is null ? null : Expression(a.SteadyStateWhite, pr),
            Expression(a.DiscountPerStep, pr), Expression(a.EffectiveLearningRate, pr),
            a.MomentumAmplification is null ? null : Expression(a.MomentumAmplification, pr), AdaptiveLaw(a, pr), AdaptiveAssumptions(a, pr),
            RmsPropMap(a, pr), a.WhiteNoiseNotDerived);

    private static IReadOnlyList<IdentityCheckRecord> Checks(ImmutableArray<IdentityCheck> checks) =>
        [.. checks.Select(c => new IdentityCheckRecord(c.Name, c.Statement, c.Holds, ZeroTest(c.Result), c.Anchor))];

    private static ZeroTestRecord ZeroTest(ZeroTestResult z) => new(z.Kind.ToString(), z.Evidence, z.FailureProbabilityBound);

    private static IReadOnlyList<string> Texts(IEnumerable<Expr> items) => [.. items.Select(e => e.ToString())];

    // Canonical text and LaTeX, plus the checked display forms (and their check's verdict) when they print differently.
    private static ExpressionRecord Expression(Expr e, Presenter pr)
    {
        var form = pr.Show(e);
        var text = e.ToString();
        var pretty = form.Text;
        return pretty == text
            ? new ExpressionRecord(text, e.ToLatex())
            : new ExpressionRecord(text, e.ToLatex(), pretty, form.Latex, form.Check.Kind.ToString());
    }
}
