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
