namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// Case folding for the runes the checker supports under <c>(?i)</c>: ASCII, plus the two non-ASCII
/// runes that fold with ASCII letters (U+017F LONG S with s/S, U+212A KELVIN SIGN with k/K). Folding any
/// other non-ASCII rune needs Unicode's case-folding tables, so such expressions are refused as
/// unsupported rather than sized wrongly (folded as themselves, and noted).
/// </summary>
internal static class Re2CaseFold
{
    public const int LongS = 0x017F;
    public const int Kelvin = 0x212A;

    private const string NonAscii = "case-insensitive matching of non-ASCII characters";

    /// <summary>The runes that match <paramref name="rune"/> case-insensitively, itself included.</summary>
    public static int[] Orbit(int rune, Re2Unsupported notes)
    {
        switch (rune)
        {
            case 'k' or 'K' or Kelvin:
                return ['K', 'k', Kelvin];
            case 's' or 'S' or LongS:
                return ['S', 's', LongS];
        }

        if (rune is >= 'a' and <= 'z')
        {
            return [rune - ('a' - 'A'), rune];
        }

        if (rune is >= 'A' and <= 'Z')
        {
            return [rune, rune + ('a' - 'A')];
        }

        if (rune >= 0x80)
        {
            notes.Note(NonAscii);
        }

        return [rune];
    }

    /// <summary>Adds lo-hi and every rune that folds to one in it.</summary>
    public static void AddFolded(Re2CharClass cls, int lo, int hi, Re2Unsupported notes)
    {
        var nonAsciiLo = Math.Max(lo, 0x80);
        if (nonAsciiLo <= hi && !(nonAsciiLo == hi && hi is LongS or Kelvin))
        {
            notes.Note(NonAscii);
        }

        cls.AddRange(lo, hi);
        var asciiHi = Math.Min(hi, 0x7F);
        for (var r = Math.Max(lo, 'A'); r <= asciiHi; r++)
        {
            foreach (var partner in Orbit(r, notes))
            {
                cls.AddRange(partner, partner);
            }
        }

        foreach (var special in new[] { LongS, Kelvin })
        {
            if (lo <= special && special <= hi)
            {
                foreach (var partner in Orbit(special, notes))
                {
                    cls.AddRange(partner, partner);
                }
            }
        }
    }
}
