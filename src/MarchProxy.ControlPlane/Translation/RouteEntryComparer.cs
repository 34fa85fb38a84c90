namespace MarchProxy.ControlPlane.Translation;

/// <summary>
/// The order of routes inside a virtual host, where the first match wins: lower
/// <see cref="Model.RouteSpec.Order"/> first; then exact paths, regexes, and prefixes; longer
/// paths (so longer prefixes) first; routes with more header matchers first (so a header-qualified
/// route is not shadowed by the same path without headers); and finally the name, which makes the
/// order total and deterministic (keys are unique).
/// </summary>
internal sealed class RouteEntryComparer : IComparer<RouteEntry>
{
    public static RouteEntryComparer Instance { get; } = new();

    public int Compare(RouteEntry? x, RouteEntry? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null)
        {
            return -1;
        }

        if (y is null)
        {
            return 1;
        }

        var c = x.Spec.Order.CompareTo(y.Spec.Order);
        if (c == 0)
        {
            c = x.KindRank.CompareTo(y.KindRank);
        }

        if (c == 0)
        {
            c = y.Specificity.CompareTo(x.Specificity);
        }

        if (c == 0)
        {
            c = y.HeaderCount.CompareTo(x.HeaderCount);
        }

        return c != 0 ? c : string.CompareOrdinal(x.Key, y.Key);
    }
}
