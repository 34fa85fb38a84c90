using Google.Protobuf;
using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Translation;

/// <summary>
/// Turns the desired state into the xDS resources for one <see cref="NodeKind"/>.
/// Implementations may keep state between calls to translate incrementally: when a value in the
/// desired state is the same reference as last time, the resource built from it is returned as the
/// same message instance, so the snapshot can reuse its serialised bytes.
/// </summary>
public interface IResourceTranslator
{
    NodeKind Kind { get; }

    TranslatedResources Translate(DesiredState state);
}

/// <summary>The resources of one translation, by xDS type. Messages are never mutated after this.</summary>
public sealed record TranslatedResources(
    IReadOnlyList<IMessage> Clusters,
    IReadOnlyList<IMessage> Endpoints,
    IReadOnlyList<IMessage> Listeners,
    IReadOnlyList<IMessage> Routes)
{
    /// <summary>The resources keyed by xDS type URL, as the snapshot cache takes them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<IMessage>> ByType() => new Dictionary<string, IReadOnlyList<IMessage>>(4, StringComparer.Ordinal)
    {
        [ResourceTypes.Cluster] = Clusters,
        [ResourceTypes.Endpoint] = Endpoints,
        [ResourceTypes.Listener] = Listeners,
        [ResourceTypes.Route] = Routes,
    };
}
