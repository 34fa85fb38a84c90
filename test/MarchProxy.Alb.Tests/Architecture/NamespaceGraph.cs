using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace MarchProxy.Alb.Tests.Architecture;

/// <summary>
/// Which namespace of an assembly uses which, read from its metadata: a type uses every type of the same
/// assembly named by its base type, interfaces, attributes, field, property, event and method signatures,
/// local variables and every token its method bodies' IL refers to (types, methods, fields, generic
/// instantiations). A nested or compiler-made type (a lambda's closure, an async state machine) counts
/// as its outermost declaring type, so a use inside a method body is found. A namespace counts as the
/// top-level folder it is in (State.Standalone is part of State): a feature's own sub-folders may use
/// each other, features may not.
/// </summary>
public sealed class NamespaceGraph
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private NamespaceGraph(IReadOnlyDictionary<string, IReadOnlySet<string>> edges, IReadOnlyDictionary<(string From, string To), string> witnesses)
    {
        Edges = edges;
        Witnesses = witnesses;
    }

    /// <summary>Namespace → the other namespaces (under the root) it uses.</summary>
    public IReadOnlyDictionary<string, IReadOnlySet<string>> Edges { get; }

    /// <summary>For each edge, one type that uses and one that is used ("A.X uses B.Y").</summary>
    public IReadOnlyDictionary<(string From, string To), string> Witnesses { get; }

    /// <summary>Reads the namespaces of <paramref name="assemblyPath"/> that are <paramref name="rootNamespace"/> or under it.</summary>
    public static NamespaceGraph Read(string assemblyPath, string rootNamespace)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var edges = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        var witnesses = new Dictionary<(string, string), string>();
        bool InRoot(string ns) => ns == rootNamespace || ns.StartsWith(rootNamespace + ".", StringComparison.Ordinal);
        string Folder(string ns) => InRoot(ns) && ns.Length > rootNamespace.Length
            ? rootNamespace + "." + ns[(rootNamespace.Length + 1)..].Split('.')[0]
            : ns;

        foreach (var handle in reader.TypeDefinitions)
        {
            var outer = Outermost(reader, handle);
            var from = Folder(reader.GetString(reader.GetTypeDefinition(outer).Namespace));
            if (!InRoot(from))
            {
                continue;
            }

            var collector = new TypeCollector();
            Collect(reader, pe, handle, collector);
            edges.TryAdd(from, new HashSet<string>(StringComparer.Ordinal));
            foreach (var used in collector.Found.Select(h => Outermost(reader, h)).Distinct())
            {
                var to = Folder(reader.GetString(reader.GetTypeDefinition(used).Namespace));
                if (to != from && InRoot(to) && edges[from].Add(to))
                {
                    witnesses[(from, to)] = $"{Name(reader, outer)} uses {Name(reader, used)}";
                }
            }
        }

        return new NamespaceGraph(edges.ToDictionary(e => e.Key, e => (IReadOnlySet<string>)e.Value, StringComparer.Ordinal), witnesses);
    }

    /// <summary>Each cycle as "A → B (X uses Y) → A (...)".</summary>
    public IReadOnlyList<string> DescribeCycles() =>
        [.. DependencyCycles.Find(Edges).Select(cycle => string.Join(
            " → ",
            cycle.Select((node, i) => i == 0 ? node : $"{node} ({Witnesses[(cycle[i - 1], node)]})")))];

    private static void Collect(MetadataReader reader, PEReader pe, TypeDefinitionHandle handle, TypeCollector collector)
    {
        var type = reader.GetTypeDefinition(handle);
        Resolve(reader, type.BaseType, collector);
        foreach (var implementation in type.GetInterfaceImplementations())
        {
            Resolve(reader, reader.GetInterfaceImplementation(implementation).Interface, collector);
        }

        Attributes(reader, type.GetCustomAttributes(), collector);
        foreach (var fieldHandle in type.GetFields())
        {
            var field = reader.GetFieldDefinition(fieldHandle);
            field.DecodeSignature(collector, null);
            Attributes(reader, field.GetCustomAttributes(), collector);
        }

        foreach (var propertyHandle in type.GetProperties())
        {
            reader.GetPropertyDefinition(propertyHandle).DecodeSignature(collector, null);
        }

        foreach (var eventHandle in type.GetEvents())
        {
            Resolve(reader, reader.GetEventDefinition(eventHandle).Type, collector);
        }

        foreach (var methodHandle in type.GetMethods())
        {
            var method = reader.GetMethodDefinition(methodHandle);
            method.DecodeSignature(collector, null);
            Attributes(reader, method.GetCustomAttributes(), collector);
            if (method.RelativeVirtualAddress != 0)
            {
                Body(reader, pe.GetMethodBody(method.RelativeVirtualAddress), collector);
            }
        }
    }

    private static void Body(MetadataReader reader, MethodBodyBlock body, TypeCollector collector)
    {
        if (!body.LocalSignature.IsNil)
        {
            reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(collector, null);
        }

        var il = body.GetILReader();
        while (il.RemainingBytes > 0)
        {
            short value = il.ReadByte();
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il.ReadByte());
            }

            if (!OpCodesByValue.TryGetValue(value, out var opCode))
            {
                throw new InvalidDataException($"Unknown IL opcode 0x{value:X} at offset {il.Offset - 1} of a {il.Length}-byte body.");
            }

            switch (opCode.OperandType)
            {
                case OperandType.InlineField:
                case OperandType.InlineMethod:
                case OperandType.InlineTok:
                case OperandType.InlineType:
                    Resolve(reader, MetadataTokens.EntityHandle(il.ReadInt32()), collector);
                    break;
                case OperandType.InlineSwitch:
                    var targets = il.ReadInt32();
                    il.Offset += 4 * targets;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    il.Offset += 8;
                    break;
                case OperandType.InlineBrTarget:
                case OperandType.InlineI:
                case OperandType.InlineSig:
                case OperandType.InlineString:
                case OperandType.ShortInlineR:
                    il.Offset += 4;
                    break;
                case OperandType.InlineVar:
                    il.Offset += 2;
                    break;
                case OperandType.ShortInlineBrTarget:
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    il.Offset += 1;
                    break;
            }
        }
    }

    private static void Attributes(MetadataReader reader, CustomAttributeHandleCollection attributes, TypeCollector collector)
    {
        foreach (var attribute in attributes)
        {
            Resolve(reader, reader.GetCustomAttribute(attribute).Constructor, collector);
        }
    }

    private static void Resolve(MetadataReader reader, EntityHandle handle, TypeCollector collector)
    {
        if (handle.IsNil)
        {
            return;
        }

        switch (handle.Kind)
        {
            case HandleKind.TypeDefinition:
                collector.Found.Add((TypeDefinitionHandle)handle);
                break;
            case HandleKind.TypeSpecification:
                reader.GetTypeSpecification((TypeSpecificationHandle)handle).DecodeSignature(collector, null);
                break;
            case HandleKind.MethodDefinition:
                collector.Found.Add(reader.GetMethodDefinition((MethodDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.FieldDefinition:
                collector.Found.Add(reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetDeclaringType());
                break;
            case HandleKind.MethodSpecification:
                var specification = reader.GetMethodSpecification((MethodSpecificationHandle)handle);
                Resolve(reader, specification.Method, collector);
                specification.DecodeSignature(collector, null);
                break;
            case HandleKind.MemberReference:
                var member = reader.GetMemberReference((MemberReferenceHandle)handle);
                Resolve(reader, member.Parent, collector);
                if (member.GetKind() == MemberReferenceKind.Method)
                {
                    member.DecodeMethodSignature(collector, null);
                }
                else
                {
                    member.DecodeFieldSignature(collector, null);
                }

                break;
        }
    }

    private static TypeDefinitionHandle Outermost(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var declaring = reader.GetTypeDefinition(handle).GetDeclaringType();
        return declaring.IsNil ? handle : Outermost(reader, declaring);
    }

    private static string Name(MetadataReader reader, TypeDefinitionHandle handle)
    {
        var type = reader.GetTypeDefinition(handle);
        return $"{reader.GetString(type.Namespace)}.{reader.GetString(type.Name)}";
    }

    /// <summary>Decodes signatures only to note every type definition of this assembly they name.</summary>
    private sealed class TypeCollector : ISignatureTypeProvider<object?, object?>
    {
        public HashSet<TypeDefinitionHandle> Found { get; } = [];

        public object? GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            Found.Add(handle);
            return null;
        }

        public object? GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => null;

        public object? GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public object? GetArrayType(object? elementType, ArrayShape shape) => null;

        public object? GetByReferenceType(object? elementType) => null;

        public object? GetFunctionPointerType(MethodSignature<object?> signature) => null;

        public object? GetGenericInstantiation(object? genericType, ImmutableArray<object?> typeArguments) => null;

        public object? GetGenericMethodParameter(object? genericContext, int index) => null;

        public object? GetGenericTypeParameter(object? genericContext, int index) => null;

        public object? GetModifiedType(object? modifier, object? unmodifiedType, bool isRequired) => null;

        public object? GetPinnedType(object? elementType) => null;

        public object? GetPointerType(object? elementType) => null;

        public object? GetPrimitiveType(PrimitiveTypeCode typeCode) => null;

        public object? GetSZArrayType(object? elementType) => null;
    }
}
