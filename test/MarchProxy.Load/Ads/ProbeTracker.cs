namespace MarchProxy.Load.Ads;

/// <summary>
/// Follows one mutation at a time: the driver says which probe weights it is about to set and how
/// many clients must hold them; each client reports the moment it ACKed an RDS response carrying
/// probe weights. Reports for any other weights are ignored.
/// </summary>
public sealed class ProbeTracker
{
    private readonly Lock _gate = new();
    private ProbeExpectation? _current;

    /// <summary>Starts following <paramref name="key"/>; call before sending the mutation so no early ACK is missed.</summary>
    public ProbeExpectation Expect(string key, int clients)
    {
        var expectation = new ProbeExpectation(key, clients);
        lock (_gate)
        {
            _current = expectation;
        }

        return expectation;
    }

    /// <summary>A client ACKed an RDS response whose probe route has the weights named <paramref name="key"/>.</summary>
    public void Observe(int client, string key, long timestamp)
    {
        lock (_gate)
        {
            if (_current is { } current && current.Key == key)
            {
                current.Add(client, timestamp);
            }
        }
    }
}
