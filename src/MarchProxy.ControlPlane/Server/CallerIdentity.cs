using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace MarchProxy.ControlPlane.Server;

/// <summary>
/// Who is on the other end of a gRPC call, for the logs of the API and of ADS: the peer address (as gRPC
/// writes it, "ipv4:10.0.0.7:51234") and, when the caller presented a client certificate (mutual TLS),
/// its subject and subject alternative names.
/// </summary>
public static class CallerIdentity
{
    public static string Describe(ServerCallContext context) =>
        context.GetHttpContext() is { } http ? Describe(http) : context.Peer;

    public static string Describe(HttpContext context)
    {
        var peer = Peer(context.Connection.RemoteIpAddress, context.Connection.RemotePort);
        var certificate = context.Connection.ClientCertificate;
        return certificate is null ? peer : $"{peer} ({Identity(certificate)})";
    }

    /// <summary>"CN=envoy-1, SAN=DNS:envoy-1.internal,IP:10.0.0.7": the subject and the DNS and IP names.</summary>
    public static string Identity(X509Certificate2 certificate)
    {
        var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames().Select(n => "DNS:" + n).Concat(e.EnumerateIPAddresses().Select(ip => "IP:" + ip)))
            .ToList();
        var subject = string.IsNullOrEmpty(certificate.Subject) ? "no subject" : certificate.Subject;
        return names.Count == 0 ? subject : $"{subject}, SAN={string.Join(',', names)}";
    }

    private static string Peer(IPAddress? address, int port) => address switch
    {
        null => "unknown",
        { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } when !address.IsIPv4MappedToIPv6 => $"ipv6:[{address}]:{port.ToString(CultureInfo.InvariantCulture)}",
        _ => $"ipv4:{(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)}:{port.ToString(CultureInfo.InvariantCulture)}",
    };
}
