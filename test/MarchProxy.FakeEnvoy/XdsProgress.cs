using System.Text.Json;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;

namespace MarchProxy.FakeEnvoy;

/// <summary>
/// What the fake received over ADS: the accepted resources per type, ACK and NACK counts, a bounded
/// history for GET /fake/xds, and Envoy's initialization (CDS, then its EDS; LDS, then its RDS).
/// The ADS session calls <see cref="Handle"/> for each response and sends the ACK or NACK it returns.
/// With a log file (FAKE_ENVOY_XDS_LOG), each response is appended as one line
/// ("epoch type ACK|NACK version=V resources=N removed=a,b"), so a test can check across processes that
/// no resource was ever removed.
/// </summary>
internal sealed class XdsProgress(ServerState state, Func<string> nackPattern, string? logFile = null)
{
    private const int HistoryCapacity = 200;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, IMessage>> _resources = [];
    private readonly Dictionary<string, (long Accepted, long Rejected)> _counts = [];
    private readonly Queue<object> _history = new();
    private readonly HashSet<string> _edsWanted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rdsWanted = new(StringComparer.Ordinal);
    private readonly HashSet<string> _edsArrived = new(StringComparer.Ordinal);
    private readonly HashSet<string> _rdsArrived = new(StringComparer.Ordinal);
    private bool _connected;
    private bool _cdsDone;
    private bool _ldsDone;

    public void SetConnected(bool connected)
    {
        lock (_gate)
        {
            _connected = connected;
        }
    }

    /// <summary>Known resource versions per name, for delta's initial_resource_versions on reconnect.</summary>
    public Dictionary<string, string> Versions { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Decodes a response's resources (name from the delta Resource when given, else from the message),
    /// NACKs when one does not decode or its name contains the NACK pattern, else applies it.
    /// <paramref name="replaceAll"/> is SotW CDS/LDS, where a missing resource means deleted.
    /// </summary>
    public HandleResult Handle(
        string typeUrl, string version, string nonce, IReadOnlyList<(string? Name, string? Version, Any Resource)> resources, IReadOnlyList<string> removed, bool replaceAll)
    {
        var errors = new List<string>();
        var decoded = new List<(string Name, string? Version, IMessage Message)>();
        var pattern = nackPattern();
        foreach (var (declaredName, resourceVersion, any) in resources)
        {
            if (any is null)
            {
                continue;
            }

            try
            {
                var (name, message) = XdsResources.Decode(typeUrl, any);
                var effectiveName = declaredName ?? name;
                if (pattern.Length > 0 && effectiveName.Contains(pattern, StringComparison.Ordinal))
                {
                    errors.Add($"{effectiveName}: rejected by the fake Envoy (the name contains '{pattern}')");
                    continue;
                }

                decoded.Add((effectiveName, resourceVersion, message));
            }
            catch (InvalidDataException ex)
            {
                errors.Add(ex.Message);
            }
        }

        var type = XdsResources.ShortName(typeUrl);
        lock (_gate)
        {
            var counts = _counts.GetValueOrDefault(type);
            var store = _resources.TryGetValue(type, out var existing) ? existing : _resources[type] = new(StringComparer.Ordinal);
            string? error = null;
            if (errors.Count > 0)
            {
                error = string.Join("; ", errors);
                _counts[type] = (counts.Accepted, counts.Rejected + 1);
                Append($"{type} NACK version={version} resources={store.Count} removed=");
            }
            else
            {
                var before = logFile is null ? null : store.Keys.ToHashSet(StringComparer.Ordinal);
                if (replaceAll)
                {
                    store.Clear();
                }

                foreach (var name in removed)
                {
                    store.Remove(name);
                    Versions.Remove(typeUrl + "|" + name);
                }

                foreach (var (name, resourceVersion, message) in decoded)
                {
                    store[name] = message;
                    Versions[typeUrl + "|" + name] = resourceVersion ?? version;
                }

                _counts[type] = (counts.Accepted + 1, counts.Rejected);
                if (before is not null)
                {
                    before.ExceptWith(store.Keys);
                    Append($"{type} ACK version={version} resources={store.Count} removed={string.Join(',', before.Order(StringComparer.Ordinal))}");
                }
            }

            Record(type, error is null ? "ACK" : "NACK", version, nonce, decoded.Select(d => d.Name), error);
            var arrived = decoded.Select(d => d.Name).ToList();
            UpdateInitialization(type, arrived, rejected: error is not null);
            return new HandleResult(
                error,
                [.. XdsResources.EdsNames(Resources("cds")).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
                [.. XdsResources.RdsNames(Resources("lds")).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
        }
    }

    private void Append(string line)
    {
        if (logFile is not null)
        {
            File.AppendAllText(logFile, $"{state.Epoch} {line}\n", System.Text.Encoding.UTF8);
        }
    }

    /// <summary>Envoy proceeds when the initial fetch timeout passes without config.</summary>
    public void InitialFetchTimedOut()
    {
        state.ClusterManagerInitialized();
        state.InitializationComplete();
    }

    public XdsSnapshot Snapshot()
    {
        lock (_gate)
        {
            return new XdsSnapshot(_connected, new Dictionary<string, (long, long)>(_counts), _resources.ToDictionary(r => r.Key, r => r.Value.Count));
        }
    }

    public string ToJson()
    {
        lock (_gate)
        {
            return JsonSerializer.Serialize(new Dictionary<string, object>
            {
                ["connected"] = _connected,
                ["state"] = state.State,
                ["resources"] = _resources.ToDictionary(r => r.Key, r => r.Value.Keys.Order(StringComparer.Ordinal).ToArray()),
                ["accepted"] = _counts.ToDictionary(c => c.Key, c => c.Value.Accepted),
                ["rejected"] = _counts.ToDictionary(c => c.Key, c => c.Value.Rejected),
                ["history"] = _history.ToArray(),
            });
        }
    }

    private List<IMessage> Resources(string type) =>
        _resources.TryGetValue(type, out var store) ? store.Values.ToList() : [];

    private void UpdateInitialization(string type, List<string> arrived, bool rejected)
    {
        switch (type)
        {
            case "cds":
                _cdsDone = true;
                _edsWanted.UnionWith(XdsResources.EdsNames(Resources("cds")));
                break;
            case "lds":
                _ldsDone = true;
                _rdsWanted.UnionWith(XdsResources.RdsNames(Resources("lds")));
                break;
            case "eds":
                _edsArrived.UnionWith(rejected ? _edsWanted : arrived);
                break;
            case "rds":
                _rdsArrived.UnionWith(rejected ? _rdsWanted : arrived);
                break;
        }

        if (_cdsDone && _edsWanted.IsSubsetOf(_edsArrived))
        {
            state.ClusterManagerInitialized();
            if (_ldsDone && _rdsWanted.IsSubsetOf(_rdsArrived))
            {
                state.InitializationComplete();
            }
        }
    }

    private void Record(string type, string kind, string version, string nonce, IEnumerable<string> names, string? error)
    {
        _history.Enqueue(new Dictionary<string, object?>
        {
            ["type"] = type,
            ["kind"] = kind,
            ["version"] = version,
            ["nonce"] = nonce,
            ["names"] = names.ToArray(),
            ["error"] = error,
        });
        while (_history.Count > HistoryCapacity)
        {
            _history.Dequeue();
        }
    }
}

/// <summary>The outcome of one response: the NACK error (null for an ACK) and the EDS and RDS names now needed.</summary>
internal sealed record HandleResult(string? Error, IReadOnlyList<string> EdsNames, IReadOnlyList<string> RdsNames);

/// <summary>Counts for the stats.</summary>
internal sealed record XdsSnapshot(bool Connected, IReadOnlyDictionary<string, (long Accepted, long Rejected)> Counts, IReadOnlyDictionary<string, int> Sizes)
{
    public long Accepted(string type) => Counts.TryGetValue(type, out var c) ? c.Accepted : 0;

    public long Rejected(string type) => Counts.TryGetValue(type, out var c) ? c.Rejected : 0;

    public long Count(string type) => Sizes.TryGetValue(type, out var n) ? n : 0;
}
