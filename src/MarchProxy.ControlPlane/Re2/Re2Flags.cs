namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// RE2's parse flags, with RE2's bit values: they take part in node equality and in the rules that
/// merge repetition operators, so they are carried exactly.
/// </summary>
[Flags]
internal enum Re2Flags
{
    None = 0,
    FoldCase = 1 << 0,
    ClassNL = 1 << 2,
    DotNL = 1 << 3,
    OneLine = 1 << 4,
    NonGreedy = 1 << 6,
    PerlClasses = 1 << 7,
    PerlB = 1 << 8,
    PerlX = 1 << 9,
    UnicodeGroups = 1 << 10,
    NeverNL = 1 << 11,
    WasDollar = 1 << 13,

    /// <summary>What RE2 starts with under its default options (UTF-8, not POSIX syntax): what Envoy uses.</summary>
    Default = ClassNL | OneLine | PerlClasses | PerlB | PerlX | UnicodeGroups,
}
