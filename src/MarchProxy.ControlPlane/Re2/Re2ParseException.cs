namespace MarchProxy.ControlPlane.Re2;

/// <summary>An expression RE2 refuses, with RE2's error text and the offending part.</summary>
internal sealed class Re2ParseException(string error, string argument)
    : Exception(argument.Length == 0 ? error : $"{error}: {argument}")
{
    public string Error { get; } = error;
}
