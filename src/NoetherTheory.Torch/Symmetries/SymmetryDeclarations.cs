using System.Globalization;
using NoetherTheory.Core.Yaml;
using NoetherTheory.Torch.Models;

namespace NoetherTheory.Torch.Symmetries;

/// <summary>
/// Reads groups a user declares as data, to be decided by <see cref="SymmetryDiscovery"/> like the discovered ones.
/// </summary>
/// <remarks>
/// <para>Schema (every error names file:line:column and the field):</para>
/// <code>
/// groups:
///   - name: first-units            # unique; reported as declared:first-units
///     action: scale                # scale: θ_slice ← α_c^power·θ_slice (α_c &gt; 0); translate: θ_slice ← θ_slice + t_c
///     tensors:                     # all tensors of a group share the group parameters c = 0 … n−1
///       - parameter: layers.0.weight   # a name from the model's description (named_parameters)
///         axis: 0                  # group parameter c moves index c along this axis; absent: the whole tensor, n = 1
///         start: 0                 # first index along the axis (default 0)
///         count: 3                 # number of slices n (default: as many as fit from start)
///         block: 1                 # consecutive indices per slice (default 1; h·w after a flatten)
///         power: 1                 # scale only: the exponent of α (default 1; −1 for the outgoing side of a rescale)
///       - parameter: layers.1.weight
///         axis: 1
///         count: 3
///         power: -1
/// </code>
/// <para>The group's kind follows from the action: translate is a translation, scale with every power positive a scale,
/// scale with mixed signs a rescale. Nothing is assumed from the declaration: the verdict comes from the evidence.</para>
/// </remarks>
public static class SymmetryDeclarations
{
    private static readonly Dictionary<string, GroupAction> Actions = new(StringComparer.Ordinal)
    {
        ["scale"] = GroupAction.Scale, ["translate"] = GroupAction.Translate,
    };

    /// <summary>Reads a declaration file against a model.</summary>
    /// <exception cref="YamlInputException">The file is missing, not YAML, or a field is wrong or does not fit the model.</exception>
    public static IReadOnlyList<SymmetryGroup> Load(string path, ModelDescription model)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new YamlInputException($"{path}: symmetry declaration file not found.");
        return Parse(File.ReadAllText(path), path, model);
    }

    /// <summary>Parses declarations; <paramref name="source"/> names the text in messages.</summary>
    /// <exception cref="YamlInputException">Not YAML, or a field is wrong or does not fit the model.</exception>
    public static IReadOnlyList<SymmetryGroup> Parse(string yaml, string source, ModelDescription model)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(model);
        var root = new YamlFields(YamlDocument.ParseMapping(yaml, source, "expected a mapping with a 'groups' list (groups: - name: …)."));
        var list = root.List("groups", "- name: …") ?? throw root.Error("missing field 'groups' (a list of declared groups)");
        root.RejectUnknown();
        if (list.Items.Count == 0) throw list.Error("groups", "declare at least one group");
        var groups = new List<SymmetryGroup>();
        for (int i = 0; i < list.Items.Count; i++)
        {
            string at = Inv($"groups[{i}].");
            var g = new YamlFields(list.Items[i].AsMap(Inv($"groups[{i}]"), "name: …, action: …, tensors: …"), at);
            var nameValue = g.Scalar("name") ?? throw g.Error($"missing field '{at}name'");
            string name = nameValue.Text;
            if (string.IsNullOrWhiteSpace(name) || name.Any(char.IsWhiteSpace))
                throw nameValue.Error(at + "name", "must be a non-empty name without spaces");
            if (groups.Any(x => x.Name == "declared:" + name)) throw nameValue.Error(at + "name", $"group '{name}' is declared twice");
            var action = g.Find("action") is null ? throw g.Error($"missing field '{at}action' (scale or translate)") : g.OneOf("action", GroupAction.Scale, Actions);
            var tensors = g.List("tensors", "- parameter: …") ?? throw g.Error($"missing field '{at}tensors'");
            g.RejectUnknown();
            if (tensors.Items.Count == 0) throw tensors.Error(at + "tensors", "list at least one tensor");
            var component = new List<GroupTensor>();
            for (int k = 0; k < tensors.Items.Count; k++)
                component.Add(Tensor(tensors.Items[k], Inv($"{at}tensors[{k}]"), action, model));
            long n = component[0].Slices.Count;
            for (int k = 1; k < component.Count; k++)
                if (component[k].Slices.Count != n)
                    throw tensors.Items[k].Error(Inv($"{at}tensors[{k}]"), Inv($"has {component[k].Slices.Count} slice(s) but tensors[0] has {n}: all tensors of a group share its parameters (set count)"));
            var kind = action == GroupAction.Translate ? GroupKind.Translation : component.All(t => t.Power > 0) ? GroupKind.Scale : GroupKind.Rescale;
            groups.Add(new SymmetryGroup("declared:" + name, kind, action, [component], Inv($"declared in {nameValue.Source}:{nameValue.Line}"), Declared: true));
        }
        return groups;
    }

    private static GroupTensor Tensor(YamlValue value, string at, GroupAction action, ModelDescription model)
    {
        var t = new YamlFields(value.AsMap(at, "parameter: …, axis: …"), at + ".");
        var nameValue = t.Scalar("parameter") ?? throw t.Error($"missing field '{at}.parameter'");
        var p = model.Find(nameValue.Text) ?? throw nameValue.Error(at + ".parameter",
            $"model {model.Model} has no parameter '{nameValue.Text}' (it has {string.Join(", ", model.Parameters.Select(x => x.Name))})");
        string shape = "[" + string.Join(", ", p.Shape) + "]";
        var axisValue = t.Scalar("axis");
        int? axis = axisValue?.AsInt(at + ".axis", 0);
        long start = t.Long("start", 0, 0), block = t.Long("block", 1, 1);
        var countValue = t.Find("count");
        double power = t.Scalar("power") is { } pv
            ? (action == GroupAction.Translate ? throw pv.Error(at + ".power", "a translation has no power (remove it)") : pv.AsDouble(at + ".power"))
            : 1;
        t.RejectUnknown();
        if (action == GroupAction.Scale && (power == 0 || !double.IsFinite(power)))
            throw value.Error(at + ".power", "must be a non-zero number");
        if (axis is not { } a)
        {
            if (start != 0 || block != 1 || countValue is not null)
                throw value.Error(at, "start, count and block need an axis (without one the whole tensor is one slice)");
            return new GroupTensor(new SliceFamily(p.Name, null, 1, 0, 1), power);
        }
        if (a >= p.Shape.Count) throw axisValue!.Error(at + ".axis", Inv($"{p.Name} {shape} has axes 0…{p.Shape.Count - 1}"));
        long fit = start < p.Shape[a] ? (p.Shape[a] - start) / block : 0;
        long count = countValue is null ? fit : t.Long("count", 0, 1);
        if (count < 1 || start + count * block > p.Shape[a])
            throw value.Error(at, Inv($"{count} slice(s) of {block} from index {start} along axis {a} do not fit {p.Name} {shape}"));
        return new GroupTensor(new SliceFamily(p.Name, a, block, start, count), power);
    }

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
