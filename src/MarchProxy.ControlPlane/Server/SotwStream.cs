using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using Google.Protobuf.Collections;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// A state-of-the-world ADS stream. Once a type has had a response, a request whose response_nonce is
/// not the latest nonce sent for that type is stale and ignored (its names come again with the next request anyway). A request
/// answering the latest nonce is an ACK, or a NACK when error_detail is set; either way the same
/// content is never sent again, only a newer one. LDS/CDS responses carry every subscribed resource
/// (empty names or "*" subscribe to all); RDS/EDS responses carry every named resource that exists.
/// </summary>
internal sealed class SotwStream(AdsStreamContext context) : AdsStream<DiscoveryRequest, DiscoveryResponse>(context)
{
    private const string StagedSuffix = "-staged";

    protected override string Protocol => "sotw";

    protected override bool IsDelta => false;

    protected override Node? NodeOf(DiscoveryRequest request) => request.Node;

    protected override void HandleRequest(DiscoveryRequest request)
    {
        if (TypeState(request.TypeUrl) is not { } type)
        {
            return;
        }

        // Before our first response of a type on this stream any nonce is accepted: a client that
        // reconnects may still echo the last nonce of its previous stream.
        var nonce = request.ResponseNonce;
        if (type.LatestNonce is not null && !string.Equals(nonce, type.LatestNonce, StringComparison.Ordinal))
        {
            AdsLog.StaleNonce(Context.Logger, NodeId, type.ShortName, nonce, type.LatestNonce);
            return;
        }

        var first = !type.Subscribed;
        Subscribe(type);
        Acknowledge(type, request.ErrorDetail);
        if (UpdateNames(type, request.ResourceNames, first, out var added) || first)
        {
            ReportSubscription(type, added);
        }
    }

    protected override DiscoveryResponse BuildResponse(
        TypeSubscription type, ResourceSet set, TypeDiff diff, bool includeRemovals, Snapshot snapshot, string nonce, out bool staged)
    {
        var resources = type.Desired(set).ToList();
        staged = !includeRemovals && diff.Removals.Count > 0;
        if (staged)
        {
            resources.AddRange(diff.Removals.Select(name => type.View[name].Sent).OfType<CachedResource>());
            resources.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        }

        var response = new DiscoveryResponse
        {
            VersionInfo = staged ? set.Version + StagedSuffix : set.Version,
            TypeUrl = type.TypeUrl,
            Nonce = nonce,
        };
        response.Resources.AddRange(resources.Select(r => r.Resource));

        type.View.Clear();
        foreach (var resource in resources)
        {
            type.View[resource.Name] = new ViewEntry(resource.Version, resource);
        }

        return response;
    }

    /// <summary>Applies the request's names; true when the subscription changed, with <paramref name="added"/> when it grew.</summary>
    private static bool UpdateNames(TypeSubscription type, RepeatedField<string> names, bool first, out bool added)
    {
        added = false;
        if (first && names.Count == 0 && type.IsFullState)
        {
            type.LegacyWildcard = true;
        }
        else if (names.Count > 0)
        {
            type.LegacyWildcard = false;
        }

        var wildcard = type.LegacyWildcard || names.Contains("*");
        var explicitNames = names.Where(n => n != "*").ToHashSet(StringComparer.Ordinal);
        if (wildcard == type.Wildcard && type.Names.SetEquals(explicitNames))
        {
            return false;
        }

        added = (wildcard && !type.Wildcard) || explicitNames.Any(n => !type.Names.Contains(n));
        type.Wildcard = wildcard;
        type.Names.Clear();
        type.Names.UnionWith(explicitNames);
        type.DropUnsubscribed();
        type.SyncedSet = null;
        if (added && type.IsFullState)
        {
            // LDS/CDS clients (grpc-js) learn that a name does not exist from a response without it.
            type.MustRespond = true;
        }

        return true;
    }
}
