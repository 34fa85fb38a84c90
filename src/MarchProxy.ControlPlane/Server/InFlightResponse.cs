using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// The one response of a type that the client has not answered yet, and the view it installs if the
/// client ACKs it: <see cref="Resources"/> added or replaced (state of the world: the whole content)
/// and <see cref="Removed"/> names dropped or, for names the client asks for, marked absent.
/// <see cref="HeldBack"/> is what of the snapshot it does not bring because the client rejected it
/// (route configurations only; null when nothing is held back).
/// </summary>
internal sealed class InFlightResponse(
    string nonce, Snapshot snapshot, IReadOnlyList<CachedResource> resources, IReadOnlyList<string> removed, bool complete, HeldBack? heldBack = null)
{
    public string Nonce => nonce;

    public Snapshot Snapshot => snapshot;

    public IReadOnlyList<CachedResource> Resources => resources;

    public IReadOnlyList<string> Removed => removed;

    public HeldBack? HeldBack => heldBack;

    /// <summary>
    /// Once ACKed, the client holds the snapshot's content for its whole subscription: nothing was held
    /// back, and the subscription has not grown since the response was built.
    /// </summary>
    public bool Complete { get; private set; } = complete;

    public void SubscriptionGrew() => Complete = false;
}
