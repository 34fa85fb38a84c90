namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// Notes the first construct that RE2 may accept but whose program this checker cannot size exactly.
/// Parsing goes on after a note, so that a real syntax error later in the expression is still reported.
/// </summary>
internal sealed class Re2Unsupported
{
    public string? Construct { get; private set; }

    public void Note(string construct) => Construct ??= construct;
}
