namespace MarchProxy.ControlPlane.Re2;

public enum Re2Status
{
    /// <summary>RE2 accepts it and its program fits the limit.</summary>
    Valid,

    /// <summary>RE2 refuses it (a syntax error).</summary>
    Invalid,

    /// <summary>Valid RE2 syntax outside what the checker can size exactly; refused.</summary>
    Unsupported,

    /// <summary>Valid, but its program is larger than the limit; refused.</summary>
    TooLarge,
}
