using MarchProxy.ControlPlane.Cache;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// What the state machine asks the world to do after one input: send a response, or tell the ACK
/// ledger (and the logs) what it learned. The transport carries them out in order.
/// </summary>
internal abstract record AdsEffect(string TypeUrl);

/// <summary>Send this response.</summary>
internal sealed record SendEffect(AdsResponse Response) : AdsEffect(Response.TypeUrl);

/// <summary>The client's subscription to the type is now <paramref name="Wildcard"/> plus <paramref name="Names"/>.</summary>
internal sealed record SubscriptionEffect(string TypeUrl, bool Wildcard, IReadOnlyCollection<string> Names) : AdsEffect(TypeUrl);

/// <summary>
/// The client ACKed the response with <paramref name="Nonce"/>, built from config version
/// <paramref name="Version"/>. <paramref name="Holds"/> is that snapshot when the ACK means the client
/// now holds its content for its whole subscription, apart from <paramref name="HeldBack"/> when it is
/// given; null when the response was partial.
/// </summary>
internal sealed record AckEffect(string TypeUrl, string Nonce, long Version, Snapshot? Holds, HeldBack? HeldBack = null) : AdsEffect(TypeUrl);

/// <summary>
/// The client rejected the response with <paramref name="Nonce"/>, built from config version
/// <paramref name="Version"/>; <paramref name="HeldBack"/> lists the virtual hosts it is not sent from
/// now on while their content stays the same (route configurations only).
/// </summary>
internal sealed record NackEffect(string TypeUrl, string Nonce, long Version, string Error, IReadOnlyList<HeldBackHost>? HeldBack = null) : AdsEffect(TypeUrl);

/// <summary>
/// Nothing to send: the client holds <paramref name="Snapshot"/>'s content for its whole subscription,
/// apart from <paramref name="HeldBack"/> when it is given.
/// </summary>
internal sealed record InSyncEffect(string TypeUrl, Snapshot Snapshot, HeldBack? HeldBack = null) : AdsEffect(TypeUrl);

/// <summary>
/// Nothing will be sent: all that separates the client from <paramref name="Snapshot"/> is content it
/// rejected, which is not sent again until it changes.
/// </summary>
internal sealed record StillRejectedEffect(string TypeUrl, Snapshot Snapshot) : AdsEffect(TypeUrl);

/// <summary>A request whose nonce is not the latest sent for its type: its ACK or NACK is ignored.</summary>
internal sealed record StaleNonceEffect(string TypeUrl, string Nonce, string LatestNonce) : AdsEffect(TypeUrl);

/// <summary>A request for a type this control plane does not serve: ignored.</summary>
internal sealed record UnknownTypeEffect(string TypeUrl) : AdsEffect(TypeUrl);
