namespace MarchProxy.Load.Ads;

/// <summary>Feeds one ADS stream's responses to a client's <see cref="ClientView"/> and reports them to its <see cref="AdsLoadClient"/>.</summary>
internal sealed class ViewConsumer(ClientView view, AdsLoadClient owner) : IAdsConsumer
{
    private string? _probe;

    public void StreamOpened()
    {
        view.Sync.NewStream();
        owner.StreamOpened();
    }

    public string? Apply(AdsResponse response)
    {
        owner.Counters.Received(response.WireSize);
        try
        {
            _probe = view.Apply(response.TypeUrl, response.Resources, response.Removed, replaceAll: response.StateOfTheWorld);
            return null;
        }
        catch (InvalidDataException ex)
        {
            _probe = null;
            return ex.Message;
        }
    }

    public void Answered(string typeUrl, string? error) => owner.Answered(error, _probe);

    public IReadOnlyList<string> Wanted(string typeUrl) => view.Wanted(typeUrl);

    public IEnumerable<KeyValuePair<string, string>> HeldVersions(string typeUrl) =>
        view.Versions.TryGetValue(typeUrl, out var held) ? held : [];
}
