namespace MarchProxy.ControlPlane.Model;

/// <summary>What a validation may look at beyond the values themselves.</summary>
public sealed record ValidationOptions
{
    /// <summary>Structure only: no file is read (the whole-state check on every change, and restores).</summary>
    public static ValidationOptions StructureOnly { get; } = new();

    /// <summary>Push time: TLS files named by the pushed resources are read on this machine.</summary>
    public static ValidationOptions PushTime { get; } = new() { TlsFiles = LocalTlsFileProbe.Instance };

    /// <summary>When set, TLS files are opened and checked.</summary>
    public ITlsFileProbe? TlsFiles { get; init; }
}
