using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MarchProxy.ControlPlane.Model;

/// <summary>
/// Classifies endpoint addresses. Envoy can use IP literals through EDS but needs DNS clusters for
/// hostnames, and proxyless gRPC clients accept IP literals only, so the distinction matters.
/// </summary>
public static class HostAddress
{
    /// <summary>
    /// True for a strict IPv4 dotted quad ("10.0.0.1") or an IPv6 literal ("::1", "fe80::1").
    /// Shorthand forms that <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> accepts, such as
    /// "10.1" or "167772161", are not IP literals here: Envoy would reject them.
    /// </summary>
    public static bool IsIpLiteral(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return false;
        }

        if (address.Contains(':', StringComparison.Ordinal))
        {
            // .NET also parses "[::1]" and "[::1]:80"; Envoy takes neither as an address.
            return !address.Contains('%', StringComparison.Ordinal)
                && !address.Contains('[', StringComparison.Ordinal)
                && IPAddress.TryParse(address, out var v6)
                && v6.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var parts = address.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        foreach (var part in parts)
        {
            if (part.Length is 0 or > 3
                || !part.All(char.IsAsciiDigit)
                || (part.Length > 1 && part[0] == '0')
                || int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture) > 255)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True for a DNS hostname: labels of 1–63 letters, digits or hyphens (not at either end of a
    /// label), separated by dots, 253 characters at most. A trailing dot is allowed.
    /// </summary>
    public static bool IsHostname(string? address)
    {
        if (string.IsNullOrEmpty(address) || address.Length > 254)
        {
            return false;
        }

        var name = address.EndsWith('.') ? address[..^1] : address;
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63
                || label[0] == '-'
                || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return false;
            }
        }

        // A name made only of digits and dots is a malformed IP address, not a hostname.
        return !name.All(c => char.IsAsciiDigit(c) || c == '.');
    }

    /// <summary>
    /// Null when <paramref name="address"/> is an IP literal or a hostname; else what is wrong with it,
    /// with a hint for the usual mistakes (an IPv6 address in brackets, a port in the address).
    /// </summary>
    public static string? Problem(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return "must not be empty";
        }

        if (IsIpLiteral(address) || IsHostname(address))
        {
            return null;
        }

        if (address.StartsWith('['))
        {
            return $"{ValidationText.Quote(address)}: write an IPv6 address without brackets (e.g. ::1), and the port in its own field";
        }

        return $"{ValidationText.Quote(address)} is neither an IP literal nor a hostname";
    }
}
