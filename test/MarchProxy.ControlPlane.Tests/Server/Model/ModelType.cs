using MarchProxy.ControlPlane.Cache;
using MarchProxy.ControlPlane.Server;

namespace MarchProxy.ControlPlane.Tests.Server.Model;

/// <summary>What the model Envoy knows of one type.</summary>
internal sealed class ModelType(string typeUrl)
{
    public string TypeUrl => typeUrl;

    public bool IsFullState { get; } = ResourceTypes.IsFullState(typeUrl);

    public bool Subscribed { get; set; }

    /// <summary>Null: a wildcard subscription; otherwise the names asked for.</summary>
    public SortedSet<string>? Names { get; set; }

    /// <summary>Delta: names asked for explicitly next to the wildcard.</summary>
    public SortedSet<string> Extra { get; } = new(StringComparer.Ordinal);

    /// <summary>What the client runs with (a partly rejected response may have added to it).</summary>
    public Dictionary<string, CachedResource> Applied { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Clusters: the names that have a warm incarnation (static, or EDS with endpoints). Like Envoy, an
    /// updated cluster keeps its warm predecessor serving until it is warm itself.
    /// </summary>
    public HashSet<string> Warm { get; } = new(StringComparer.Ordinal);

    /// <summary>Per name, the last resource a response it rejected brought (the client may run it: a partial apply).</summary>
    public Dictionary<string, CachedResource> RejectedResources { get; } = new(StringComparer.Ordinal);

    /// <summary>Names the client dropped itself (unsubscribed under the wildcard) since the run was last quiet.</summary>
    public HashSet<string> Dropped { get; } = new(StringComparer.Ordinal);

    /// <summary>Delta: names the server knows of only from initial_resource_versions on this stream (not sent on it).</summary>
    public HashSet<string> Declared { get; } = new(StringComparer.Ordinal);

    /// <summary>The client ACKed a response of this type on this stream.</summary>
    public bool AckedOnStream { get; set; }

    /// <summary>What the server may assume the client holds: changed by ACKs (and unsubscriptions) only.</summary>
    public Dictionary<string, CachedResource> Acknowledged { get; } = new(StringComparer.Ordinal);

    /// <summary>State of the world: the version_info of the last response it accepted.</summary>
    public string AcceptedVersion { get; set; } = string.Empty;

    public string Nonce { get; set; } = string.Empty;

    /// <summary>Name → versions that were in a response it rejected on this stream ("" for a removal).</summary>
    public Dictionary<string, HashSet<string>> Tainted { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Per name, the version ("" for a removal) a response it rejected brought, which the server may
    /// not send again as the only news of a response.
    /// </summary>
    public Dictionary<string, string> NotAgain { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Route configurations: per route configuration, per virtual host, the content rejected in a
    /// response whose only change was that route configuration, over a version the client ACKed on
    /// this stream. The server must not send that content again while the snapshot still has it.
    /// </summary>
    public Dictionary<string, Dictionary<string, string>> HeldBackHosts { get; } = new(StringComparer.Ordinal);

    /// <summary>Route configurations: per route configuration, every "host=content" that was in a response it rejected on this stream.</summary>
    public Dictionary<string, HashSet<string>> RejectedHosts { get; } = new(StringComparer.Ordinal);

    /// <summary>The virtual hosts of an encoded route configuration: name → content (base64).</summary>
    public static Dictionary<string, string> HostsOf(CachedResource resource)
    {
        var hosts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var host in VirtualHostSlices.Of(resource))
        {
            hosts.TryAdd(VirtualHostSlices.NameOf(host.Bytes.Span), Convert.ToBase64String(host.Bytes.Span));
        }

        return hosts;
    }

    /// <summary>Like the server: the rejected route configuration was the response's only change, over one it holds; its changed hosts are held back.</summary>
    public void RecordRejectedHosts(AdsResponse response, bool delta)
    {
        foreach (var resource in response.Resources)
        {
            var rejected = RejectedHosts.TryGetValue(resource.Name, out var set) ? set : RejectedHosts[resource.Name] = new(StringComparer.Ordinal);
            rejected.UnionWith(HostsOf(resource).Select(h => $"{h.Key}={h.Value}"));
        }

        var changed = delta ? [.. response.Resources] : response.Resources.Where(r => Acknowledged.GetValueOrDefault(r.Name)?.Version != r.Version).ToList();
        if (changed.Count != 1 || response.Removed.Count > 0 || Declared.Contains(changed[0].Name)
            || !Acknowledged.TryGetValue(changed[0].Name, out var acked))
        {
            return;
        }

        var before = HostsOf(acked);
        foreach (var (name, content) in HostsOf(changed[0]))
        {
            if (before.GetValueOrDefault(name) != content)
            {
                var held = HeldBackHosts.TryGetValue(changed[0].Name, out var h) ? h : HeldBackHosts[changed[0].Name] = new(StringComparer.Ordinal);
                held[name] = content;
            }
        }
    }

    public bool Includes(string name) => Names is null || Names.Contains(name) || Extra.Contains(name);

    public bool IsTainted(string name) => Tainted.ContainsKey(name);

    public bool IsTainted(string name, string version) => Tainted.TryGetValue(name, out var versions) && versions.Contains(version);

    public void Taint(string name, string version)
    {
        if (!Tainted.TryGetValue(name, out var versions))
        {
            Tainted[name] = versions = new HashSet<string>(StringComparer.Ordinal);
        }

        versions.Add(version);
    }

    /// <summary>A new stream: what the server knew and what it must not repeat is gone; what the client runs stays.</summary>
    public void NewStream()
    {
        Acknowledged.Clear();
        HeldBackHosts.Clear();
        RejectedHosts.Clear();
        Nonce = string.Empty;
        Tainted.Clear();
        NotAgain.Clear();
        RejectedResources.Clear();
        Declared.Clear();
        AckedOnStream = false;
    }

    /// <summary>Runs with <paramref name="accepted"/> of <paramref name="response"/> from now on.</summary>
    public void Apply(AdsResponse response, IReadOnlyCollection<CachedResource> accepted, bool delta)
    {
        // Like any xDS client, it ignores what it did not ask for (a response may cross an unsubscription).
        accepted = [.. accepted.Where(r => Includes(r.Name))];
        if (delta || !IsFullState)
        {
            foreach (var resource in accepted)
            {
                Applied[resource.Name] = resource;
            }

            foreach (var name in response.Removed)
            {
                Applied.Remove(name);
            }

            return;
        }

        // State of the world, LDS or CDS: what the response lacks is deleted; a rejected update keeps the old one.
        var carried = response.Resources.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var name in Applied.Keys.Where(n => !carried.Contains(n)).ToList())
        {
            Applied.Remove(name);
        }

        foreach (var resource in accepted)
        {
            Applied[resource.Name] = resource;
        }
    }

    /// <summary>The client ACKs <paramref name="response"/>: what the server may now assume it holds.</summary>
    public void Acknowledge(AdsResponse response, bool delta)
    {
        AckedOnStream = true;

        // Like the server: a held-back host whose content changed (or that went) is held no more.
        foreach (var (route, hosts) in HeldBackHosts.ToList())
        {
            var now = Includes(route) && response.Snapshot.Routes.Find(route) is { } current ? HostsOf(current) : [];
            foreach (var (name, content) in hosts.ToList())
            {
                if (now.GetValueOrDefault(name) != content)
                {
                    hosts.Remove(name);
                }
            }

            if (hosts.Count == 0)
            {
                HeldBackHosts.Remove(route);
            }
        }

        Declared.ExceptWith(response.Resources.Select(r => r.Name).Concat(response.Removed));
        if (!delta && IsFullState)
        {
            // The accepted state of the world supersedes every earlier rejection of the type.
            Acknowledged.Clear();
            NotAgain.Clear();
            RejectedResources.Clear();
        }

        foreach (var name in response.Resources.Select(r => r.Name).Concat(response.Removed))
        {
            NotAgain.Remove(name);
            RejectedResources.Remove(name);
        }

        foreach (var resource in response.Resources.Where(r => Includes(r.Name)))
        {
            Acknowledged[resource.Name] = resource;
        }

        foreach (var name in response.Removed)
        {
            Acknowledged.Remove(name);
        }
    }
}
