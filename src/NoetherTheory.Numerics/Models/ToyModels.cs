namespace NoetherTheory.Numerics.Models;

/// <summary>The toy-model catalog: model ids and factories (the theory catalog names the same ids).</summary>
public static class ToyModels
{
    private static readonly Dictionary<string, Func<ParameterSet, int, IToyModel>> Factories = new(StringComparer.Ordinal)
    {
        ["scale-cosine"] = (p, _) => new ScaleCosineModel(p),
        ["rayleigh"] = (p, _) => new RayleighModel(p),
        ["force-persistent"] = (p, _) => new ScaleForceModel(true, p),
        ["force-white"] = (p, _) => new ScaleForceModel(false, p),
        ["linear2-scalar"] = (p, _) => new ScalarLinearModel(false, p),
        ["toy-a2"] = (p, _) => new ScalarLinearModel(true, p),
        ["linear2"] = (p, s) => new LinearNetModel(p, s),
        ["relu-net"] = (p, s) => new ReluNetModel(p, s),
        ["tanh-net"] = (p, s) => new ReluNetModel(p, s, tanh: true),
        ["softmax"] = (p, s) => new SoftmaxModel(p, s),
        ["rotation"] = (p, s) => new RotationModel(p, s),
        ["quadratic"] = (p, _) => new QuadraticModel(p),
        ["rotating-target"] = (p, _) => new RotatingTargetModel(p),
    };

    private static readonly ModelParameter Q0 = new("q0", "initial point (vector; default: the model's own)");

    private static readonly Dictionary<string, ModelParameter[]> Declared = new(StringComparer.Ordinal)
    {
        ["scale-cosine"] = [new("a", "target direction (vector, default [1, 0])"), new("theta0", "initial angle (default 2.5)"), new("r0", "initial norm |q₀| (default 1)")],
        ["rayleigh"] = [new("a", "diagonal of the quadratic form (vector, default [1, 2, 3])"), Q0],
        ["force-persistent"] = [new("s", "force size s = |ĝ|, so |ĝ|² = s² (default 1)"), new("modulation", "relative modulation A of the strength s(1 + A sin(2πn/P)) (default 0)"),
            new("period", "modulation period P in steps (default 1000)"), new("q0", "initial point (2 components, default e₁)")],
        ["force-white"] = [new("s", "force size: the root-mean-square |ĝ| = s, so E|ĝ|² = s² (default 1)"), new("dimension", "number of parameters d ≥ 2 (default 10)"),
            new("q0", "initial point (d components, default e₁)")],
        ["linear2-scalar"] = [new("c", "target c of the product w₂w₁ (default 0)"), new("q0", "initial point (w₁, w₂), default [0.5, 1.5]")],
        ["toy-a2"] = [new("c", "target c of the product w₂w₁ (default 0.1)"), new("q0", "initial point (w₁, w₂), default [0.3, 1.7]")],
        ["linear2"] = [new("d", "input dimension (default 3)"), new("h", "hidden width (default 4)"), new("o", "output dimension (default 2)"), new("samples", "data points (default 20)")],
        ["relu-net"] = [new("d", "input dimension (default 3)"), new("h", "hidden width (default 5)"), new("samples", "data points (default 16)")],
        ["tanh-net"] = [new("d", "input dimension (default 3)"), new("h", "hidden width (default 5)"), new("samples", "data points (default 16)")],
        ["softmax"] = [new("d", "input dimension (default 3)"), new("classes", "number of classes (default 4)"), new("samples", "data points (default 30)")],
        ["rotation"] = [new("n", "rows of W (default 3)"), new("p", "columns of W, ≥ 2 (default 2)")],
        ["quadratic"] = [new("sigma", "eigenvalues (vector, default [1])"), new("q0", "initial point (default all ones)")],
        ["rotating-target"] = [new("a", "target length |a| (default 1)"), new("omega", "target angular velocity per step (default 3e-4)"), new("q0", "initial point (default [1, 0])")],
    };

    /// <summary>The parameters model <paramref name="id"/> reads (what <see cref="Create"/> accepts by name).</summary>
    /// <exception cref="ArgumentException">Unknown id.</exception>
    public static IReadOnlyList<ModelParameter> ParametersOf(string id) =>
        Declared.TryGetValue(id, out var p) ? p : throw new ArgumentException($"unknown model id '{id}'; known: {string.Join(", ", Ids)}.", nameof(id));

    /// <summary>All model ids, sorted.</summary>
    public static IReadOnlyList<string> Ids { get; } = Factories.Keys.Order(StringComparer.Ordinal).ToArray();

    /// <summary>Creates model <paramref name="id"/>; <paramref name="seed"/> draws data and initial points of data models.</summary>
    /// <exception cref="ArgumentException">Unknown id (the message lists the known ones) or bad parameters.</exception>
    public static IToyModel Create(string id, ParameterSet? parameters = null, int seed = 0)
    {
        if (!Factories.TryGetValue(id, out var make))
            throw new ArgumentException($"unknown model id '{id}'; known: {string.Join(", ", Ids)}.", nameof(id));
        return make(parameters ?? ParameterSet.Empty, seed);
    }
}
