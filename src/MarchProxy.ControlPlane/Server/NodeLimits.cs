using System.Text;
using Envoy.Config.Core.V3;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// Bounds on what a client may announce as its node. The id is kept (GetStatus, WatchEvents, logs) for
/// as long as the ledger remembers the node, so a client cannot make it arbitrarily large.
/// </summary>
internal static class NodeLimits
{
    public const int MaxIdBytes = 256;

    public const int MaxMetadataBytes = 4096;

    /// <summary>What is wrong with <paramref name="node"/>, naming the field; null when it is within bounds.</summary>
    public static string? Check(Node node)
    {
        var idBytes = Encoding.UTF8.GetByteCount(node.Id);
        if (idBytes > MaxIdBytes)
        {
            return $"node.id is {idBytes} bytes long; at most {MaxIdBytes} are allowed.";
        }

        var metadataBytes = node.Metadata?.CalculateSize() ?? 0;
        return metadataBytes > MaxMetadataBytes
            ? $"node.metadata is {metadataBytes} bytes long; at most {MaxMetadataBytes} are allowed."
            : null;
    }
}
