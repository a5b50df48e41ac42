using System.Reflection;
using System.Reflection.Emit;
using System.Text;
using KinerjaWorkflow.Server.Hosting;

namespace KinerjaWorkflow.Server.Tests.Architecture;

/// <summary>
/// The server's feature folders (namespaces KinerjaWorkflow.Server.&lt;Folder&gt;) depend one way. The graph is
/// read from the compiled assembly: signatures, base types and every type, method and field the IL touches, so
/// a dependency hidden inside a method body counts as much as one in a signature.
/// </summary>
public sealed class FolderDependencyTests
{
    [Fact]
    public void No_two_folders_depend_on_each_other()
    {
        var graph = FolderGraph.Of(typeof(ServerComposition).Assembly);

        var cycles = new StringBuilder();
        foreach (var (from, to) in graph.Edges.Keys.Where(e => string.CompareOrdinal(e.From, e.To) < 0))
        {
            if (!graph.Edges.TryGetValue((to, from), out var back))
            {
                continue;
            }
            cycles.AppendLine($"{from} <-> {to}");
            cycles.AppendLine($"  {from} -> {to}: {string.Join(", ", graph.Edges[(from, to)].Take(6))}");
            cycles.AppendLine($"  {to} -> {from}: {string.Join(", ", back.Take(6))}");
        }

        cycles.ToString().Should().BeEmpty("folders must depend one way (docs/architecture.md)");
    }

    [Fact]
    public void Every_folder_uses_only_the_folders_docs_architecture_allows()
    {
        var allowed = DocumentedGraph();
        var graph = FolderGraph.Of(typeof(ServerComposition).Assembly);

        var undocumented = graph.Edges
            .Where(e => !allowed.TryGetValue(e.Key.From, out var uses) || !uses.Contains(e.Key.To))
            .OrderBy(e => e.Key.From, StringComparer.Ordinal).ThenBy(e => e.Key.To, StringComparer.Ordinal)
            .Select(e => $"{e.Key.From} -> {e.Key.To}: {string.Join(", ", e.Value.Take(6))}");

        string.Join(Environment.NewLine, undocumented).Should().BeEmpty("docs/architecture.md lists the folders each folder may use");
    }

    [Fact]
    public void The_documented_graph_has_no_cycle()
    {
        var allowed = DocumentedGraph();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        var remaining = allowed.Keys.ToHashSet(StringComparer.Ordinal);
        while (remaining.FirstOrDefault(f => allowed[f].All(placed.Contains)) is { } next)
        {
            placed.Add(next);
            remaining.Remove(next);
        }

        remaining.Should().BeEmpty("every folder must sit above the folders it uses");
    }

    /// <summary>The fenced "folders" block of docs/architecture.md: one line per folder, "Folder -> Used, Used".</summary>
    private static Dictionary<string, HashSet<string>> DocumentedGraph()
    {
        var document = File.ReadAllLines(Path.Combine(RepositoryRoot(), "docs", "architecture.md"));
        var start = Array.IndexOf(document, "```folders");
        start.Should().BeGreaterThan(-1, "docs/architecture.md has a ```folders block");
        var graph = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var line in document.Skip(start + 1).TakeWhile(l => l != "```"))
        {
            var parts = line.Split("->", 2, StringSplitOptions.TrimEntries);
            var uses = parts.Length == 2 ? parts[1].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) : [];
            graph[parts[0]] = uses.ToHashSet(StringComparer.Ordinal);
        }
        foreach (var used in graph.Values.SelectMany(u => u).ToList())
        {
            graph.Should().ContainKey(used, "every folder used has its own line");
        }
        return graph;
    }

    private static string RepositoryRoot()
    {
        var folder = new DirectoryInfo(AppContext.BaseDirectory);
        while (folder is not null && !File.Exists(Path.Combine(folder.FullName, "KinerjaWorkflow.sln")))
        {
            folder = folder.Parent;
        }
        return folder?.FullName ?? throw new InvalidOperationException("KinerjaWorkflow.sln not found above the test's folder.");
    }

    private sealed class FolderGraph
    {
        private const string Root = "KinerjaWorkflow.Server.";

        private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (OpCode)f.GetValue(null)!)
            .ToDictionary(o => o.Value);

        private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic
            | BindingFlags.Instance | BindingFlags.Static;

        /// <summary>Folder pair to the distinct "UsingType uses UsedType" lines that make the edge.</summary>
        public Dictionary<(string From, string To), SortedSet<string>> Edges { get; } = [];

        public static FolderGraph Of(Assembly assembly)
        {
            var graph = new FolderGraph();
            foreach (var type in assembly.GetTypes())
            {
                var owner = Outermost(type);
                if (FolderOf(owner) is not { } from)
                {
                    continue;
                }
                foreach (var used in graph.UsedBy(type))
                {
                    graph.Add(owner, from, used);
                }
            }
            return graph;
        }

        private void Add(Type owner, string from, Type used)
        {
            foreach (var part in Flatten(used))
            {
                var usedOwner = Outermost(part);
                if (FolderOf(usedOwner) is not { } to || to == from)
                {
                    continue;
                }
                if (!Edges.TryGetValue((from, to), out var reasons))
                {
                    Edges[(from, to)] = reasons = new SortedSet<string>(StringComparer.Ordinal);
                }
                reasons.Add($"{owner.Name} uses {usedOwner.Name}");
            }
        }

        private IEnumerable<Type> UsedBy(Type type)
        {
            if (type.BaseType is { } baseType)
            {
                yield return baseType;
            }
            foreach (var contract in type.GetInterfaces())
            {
                yield return contract;
            }
            foreach (var attribute in type.GetCustomAttributesData())
            {
                yield return attribute.AttributeType;
            }
            foreach (var field in type.GetFields(Declared))
            {
                yield return field.FieldType;
            }
            foreach (var property in type.GetProperties(Declared))
            {
                yield return property.PropertyType;
            }
            foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
            {
                if (method is MethodInfo info)
                {
                    yield return info.ReturnType;
                }
                foreach (var parameter in method.GetParameters())
                {
                    yield return parameter.ParameterType;
                }
                foreach (var used in InBody(type, method))
                {
                    yield return used;
                }
            }
        }

        /// <summary>The types a method body names: locals and the operands of its instructions.</summary>
        private static IEnumerable<Type> InBody(Type type, MethodBase method)
        {
            var body = method.GetMethodBody();
            if (body?.GetILAsByteArray() is not { } il)
            {
                yield break;
            }
            foreach (var local in body.LocalVariables)
            {
                yield return local.LocalType;
            }
            var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
            var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
            var at = 0;
            while (at < il.Length)
            {
                short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
                at += il[at] == 0xFE ? 2 : 1;
                var opCode = OpCodesByValue[value];
                switch (opCode.OperandType)
                {
                    case OperandType.InlineType:
                    case OperandType.InlineMethod:
                    case OperandType.InlineField:
                    case OperandType.InlineTok:
                        var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                        foreach (var used in Named(member))
                        {
                            yield return used;
                        }
                        at += 4;
                        break;
                    case OperandType.InlineSwitch:
                        at += 4 + (4 * BitConverter.ToInt32(il, at));
                        break;
                    default:
                        at += OperandSize(opCode.OperandType);
                        break;
                }
            }
        }

        private static IEnumerable<Type> Named(MemberInfo? member)
        {
            switch (member)
            {
                case Type named:
                    yield return named;
                    break;
                case MethodBase called:
                    if (called.DeclaringType is { } declaring)
                    {
                        yield return declaring;
                    }
                    if (called.IsGenericMethod)
                    {
                        foreach (var argument in called.GetGenericArguments())
                        {
                            yield return argument;
                        }
                    }
                    break;
                case FieldInfo field:
                    if (field.DeclaringType is { } fieldOwner)
                    {
                        yield return fieldOwner;
                    }
                    yield return field.FieldType;
                    break;
            }
        }

        private static int OperandSize(OperandType operand) => operand switch
        {
            OperandType.InlineNone => 0,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
            OperandType.InlineVar => 2,
            OperandType.InlineI8 or OperandType.InlineR => 8,
            _ => 4,
        };

        /// <summary>A constructed type and everything it is made of: generic arguments, array elements.</summary>
        private static IEnumerable<Type> Flatten(Type type)
        {
            if (type.HasElementType && type.GetElementType() is { } element)
            {
                foreach (var part in Flatten(element))
                {
                    yield return part;
                }
                yield break;
            }
            if (type.IsGenericParameter)
            {
                yield break;
            }
            yield return type.IsGenericType ? type.GetGenericTypeDefinition() : type;
            if (type.IsGenericType)
            {
                foreach (var argument in type.GetGenericArguments())
                {
                    foreach (var part in Flatten(argument))
                    {
                        yield return part;
                    }
                }
            }
        }

        private static Type Outermost(Type type)
        {
            while (type.DeclaringType is { } declaring)
            {
                type = declaring;
            }
            return type;
        }

        private static string? FolderOf(Type type) =>
            type.Namespace is { } name && name.StartsWith(Root, StringComparison.Ordinal)
                ? name[Root.Length..].Split('.')[0]
                : null;
    }
}
