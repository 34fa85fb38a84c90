namespace MarchProxy.ControlPlane.Re2;

internal enum Re2InstOp : byte
{
    Fail = 0,
    Alt,
    AltMatch,
    ByteRange,
    Capture,
    EmptyWidth,
    Match,
    Nop,
}

/// <summary>One instruction of a compiled program. Out fields double as patch-list links while compiling, as in RE2.</summary>
internal struct Re2Inst
{
    public Re2InstOp Op;
    public uint Out;
    public uint Out1;
    public byte Lo;
    public byte Hi;
    public bool FoldCase;
}
