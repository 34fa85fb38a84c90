using System.Collections.Immutable;
using System.Text.Json;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.State;

/// <summary>
/// Decides whether a mutation changed anything. The specs hold arrays, which records compare by
/// reference, so two entries are the same when they are the same object or serialise to the same JSON
/// (the persisted form). Only the entries a mutation replaced are serialised; the rest are shared.
/// </summary>
internal static class StateContent
{
    /// <summary>Same listeners, routes and clusters; the version is not compared.</summary>
    public static bool Same(DesiredState a, DesiredState b) =>
        Same(a.Listeners, b.Listeners) && Same(a.Routes, b.Routes) && Same(a.Clusters, b.Clusters);

    public static bool Same(ApiOwnership a, ApiOwnership b) =>
        ReferenceEquals(a, b) || (a.Routes.SetEquals(b.Routes) && a.Clusters.SetEquals(b.Clusters));

    private static bool Same<T>(ImmutableSortedDictionary<string, T> a, ImmutableSortedDictionary<string, T> b)
        where T : class
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Count != b.Count)
        {
            return false;
        }

        foreach (var (name, left) in a)
        {
            if (!b.TryGetValue(name, out var right) || !(ReferenceEquals(left, right) || SameJson(left, right)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool SameJson<T>(T left, T right) =>
        JsonSerializer.SerializeToUtf8Bytes(left, StateJson.Options).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(right, StateJson.Options));
}
