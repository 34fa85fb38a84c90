namespace MarchProxy.Testing.Ads;

/// <summary>
/// What an ADS session does with what it receives. The session owns the protocol (subscriptions,
/// ACK and NACK, nonces, initial_resource_versions); the consumer owns the resources. All calls come
/// from the session's one loop, in order.
/// </summary>
public interface IAdsConsumer
{
    /// <summary>The stream is open and its first CDS and LDS requests are written.</summary>
    void StreamOpened();

    /// <summary>Applies a response; returns the NACK's error detail, or null to ACK. A NACKed response changes nothing.</summary>
    string? Apply(AdsResponse response);

    /// <summary>The ACK (<paramref name="error"/> null) or NACK of <paramref name="typeUrl"/> is written.</summary>
    void Answered(string typeUrl, string? error);

    /// <summary>The EDS or RDS names the held clusters or listeners reference, in a stable order.</summary>
    IReadOnlyList<string> Wanted(string typeUrl);

    /// <summary>Delta: the held version of each resource of <paramref name="typeUrl"/>, sent on a reconnect.</summary>
    IEnumerable<KeyValuePair<string, string>> HeldVersions(string typeUrl);
}
