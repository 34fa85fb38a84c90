using Google.Protobuf.WellKnownTypes;

namespace MarchProxy.Testing.Ads;

/// <summary>
/// One ADS response in the shape both variants share. A resource's name and version are set only by
/// delta (SotW names live inside the message); <see cref="StateOfTheWorld"/> says whether the
/// response lists every resource of its type.
/// </summary>
public sealed record AdsResponse(
    string TypeUrl,
    string Version,
    string Nonce,
    IReadOnlyList<(string? Name, string? Version, Any Resource)> Resources,
    IReadOnlyList<string> Removed,
    bool StateOfTheWorld,
    int WireSize);
