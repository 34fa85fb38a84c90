namespace MarchProxy.ControlPlane.Server;

/// <summary>The text of a NACK's error_detail, which must never be empty in the ledger.</summary>
internal static class NackText
{
    public static string? Of(Google.Rpc.Status? error) => error switch
    {
        null => null,
        { Message.Length: > 0 } => error.Message,
        _ => $"rejected without a message (code {error.Code})",
    };
}
