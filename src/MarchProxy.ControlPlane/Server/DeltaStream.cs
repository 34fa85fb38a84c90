using System.Globalization;
using Envoy.Config.Core.V3;
using Envoy.Service.Discovery.V3;
using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// An incremental (delta) ADS stream. Subscriptions change by delta and are always applied; the
/// ACK/NACK part of a request counts only when its response_nonce is the latest sent for its type
/// (an empty nonce is a pure subscription change). Responses carry only changed resources, each with
/// its content-hash version, and removed_resources for deletions and for subscribed names that do not
/// exist. On the first request of a type, initial_resource_versions seeds the client's view, so what
/// it already holds is not sent again.
/// </summary>
internal sealed class DeltaStream(AdsStreamContext context) : AdsStream<DeltaDiscoveryRequest, DeltaDiscoveryResponse>(context)
{
    protected override string Protocol => "delta";

    protected override bool IsDelta => true;

    protected override Node? NodeOf(DeltaDiscoveryRequest request) => request.Node;

    protected override void HandleRequest(DeltaDiscoveryRequest request)
    {
        if (TypeState(request.TypeUrl) is not { } type)
        {
            return;
        }

        var first = !type.Subscribed;
        var nonce = request.ResponseNonce;
        if (nonce.Length != 0)
        {
            if (string.Equals(nonce, type.LatestNonce, StringComparison.Ordinal))
            {
                Acknowledge(type, request.ErrorDetail);
            }
            else
            {
                AdsLog.StaleNonce(Context.Logger, NodeId, type.ShortName, nonce, type.LatestNonce ?? string.Empty);
            }
        }

        Subscribe(type);
        if (first && request.ResourceNamesSubscribe.Count == 0 && type.IsFullState)
        {
            type.Wildcard = true;
        }

        var changed = ApplySubscriptions(type, request, out var added);
        if (changed || first)
        {
            ReportSubscription(type, added);
        }

        if (first)
        {
            foreach (var (name, version) in request.InitialResourceVersions)
            {
                if (type.Includes(name))
                {
                    type.View[name] = new ViewEntry(version, Sent: null);
                }
            }

            type.SyncedSet = null;
        }
    }

    protected override DeltaDiscoveryResponse BuildResponse(
        TypeSubscription type, ResourceSet set, TypeDiff diff, bool includeRemovals, Snapshot snapshot, string nonce, out bool staged)
    {
        staged = !includeRemovals && diff.Removals.Count > 0;
        var response = new DeltaDiscoveryResponse
        {
            SystemVersionInfo = snapshot.Version.ToString(CultureInfo.InvariantCulture),
            TypeUrl = type.TypeUrl,
            Nonce = nonce,
        };

        foreach (var resource in diff.Upserts)
        {
            response.Resources.Add(new Resource { Name = resource.Name, Version = resource.Version, Resource_ = resource.Resource });
            type.View[resource.Name] = new ViewEntry(resource.Version, resource);
        }

        var removed = includeRemovals ? diff.Removals.Concat(diff.Notices) : diff.Notices;
        foreach (var name in removed.Order(StringComparer.Ordinal))
        {
            response.RemovedResources.Add(name);
            if (type.Names.Contains(name))
            {
                type.View[name] = new ViewEntry(Version: null, Sent: null);
            }
            else
            {
                type.View.Remove(name);
            }
        }

        return response;
    }

    /// <summary>Applies the request's (un)subscriptions; true when they changed anything, with <paramref name="added"/> when it grew.</summary>
    private static bool ApplySubscriptions(TypeSubscription type, DeltaDiscoveryRequest request, out bool added)
    {
        added = false;
        var changed = false;
        foreach (var name in request.ResourceNamesSubscribe)
        {
            if (name == "*")
            {
                added |= !type.Wildcard;
                type.Wildcard = true;
            }
            else if (type.Names.Add(name))
            {
                changed = true;
                added |= !type.Wildcard;
            }
        }

        changed |= added;
        foreach (var name in request.ResourceNamesUnsubscribe)
        {
            if (name == "*")
            {
                changed |= type.Wildcard;
                type.Wildcard = false;
            }
            else if (type.Names.Remove(name))
            {
                changed = true;
                if (!type.Wildcard)
                {
                    type.View.Remove(name);
                }
            }
        }

        if (changed)
        {
            type.DropUnsubscribed();
            type.SyncedSet = null;
        }

        return changed;
    }
}
