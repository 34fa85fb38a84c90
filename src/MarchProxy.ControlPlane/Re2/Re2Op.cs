namespace MarchProxy.ControlPlane.Re2;

/// <summary>The node kinds of a parsed expression, plus the two markers that only live on the parse stack.</summary>
internal enum Re2Op
{
    NoMatch = 1,
    EmptyMatch,
    Literal,
    LiteralString,
    Concat,
    Alternate,
    Star,
    Plus,
    Quest,
    Repeat,
    Capture,
    AnyChar,
    AnyByte,
    BeginLine,
    EndLine,
    WordBoundary,
    NoWordBoundary,
    BeginText,
    EndText,
    CharClass,
    LeftParen,
    VerticalBar,
}
