namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// The outcome of <see cref="Re2Syntax.Check"/>. <see cref="ProgramSize"/> is RE2's program size when it
/// was computed (-1 otherwise, or when it outgrew the computation budget).
/// </summary>
public sealed record Re2Verdict(Re2Status Status, int ProgramSize, string Message)
{
    public bool IsValid => Status == Re2Status.Valid;
}
