using MarchProxy.Testing.Ads;

namespace MarchProxy.FakeEnvoy;

/// <summary>Feeds one ADS stream's responses to <see cref="XdsProgress"/> and logs a NACK as Envoy does.</summary>
internal sealed class ProgressConsumer(XdsProgress progress, FakeLog log) : IAdsConsumer
{
    private HandleResult? _last;

    public void StreamOpened() => progress.SetConnected(true);

    public string? Apply(AdsResponse response)
    {
        // SotW CDS and LDS list every resource, so a missing one is deleted; EDS and RDS are applied over what is held.
        var replaceAll = response.StateOfTheWorld && response.TypeUrl is TypeUrls.Cluster or TypeUrls.Listener;
        _last = progress.Handle(response.TypeUrl, response.Version, response.Nonce, response.Resources, response.Removed, replaceAll);
        if (_last.Error is not null)
        {
            log.Warn("config", $"{(response.StateOfTheWorld ? "gRPC" : "delta")} config for {response.TypeUrl} rejected: {_last.Error}");
        }

        return _last.Error;
    }

    public void Answered(string typeUrl, string? error)
    {
    }

    public IReadOnlyList<string> Wanted(string typeUrl) => typeUrl switch
    {
        TypeUrls.Endpoint => _last?.EdsNames ?? [],
        TypeUrls.Route => _last?.RdsNames ?? [],
        _ => [],
    };

    public IEnumerable<KeyValuePair<string, string>> HeldVersions(string typeUrl)
    {
        var prefix = typeUrl + "|";
        return progress.Versions
            .Where(v => v.Key.StartsWith(prefix, StringComparison.Ordinal))
            .Select(v => KeyValuePair.Create(v.Key[prefix.Length..], v.Value))
            .ToList();
    }
}
