namespace MarchProxy.ControlPlane.Model;

/// <summary>The listener part of <see cref="ConfigValidator"/>.</summary>
internal static class ListenerValidation
{
    public static void Validate(string path, string key, ListenerSpec listener, ValidationOptions options, ICollection<ValidationError> errors)
    {
        ConfigValidator.ValidateKey(path, key, listener.Name, errors);
        ConfigValidator.ValidatePort(path + ".port", listener.Port, errors);

        if (!HostAddress.IsIpLiteral(listener.Address))
        {
            errors.Add(new ValidationError(path + ".address", HostAddress.Problem(listener.Address) is { } problem && listener.Address?.StartsWith('[') == true
                ? problem
                : $"{ValidationText.Quote(listener.Address)} must be an IP literal"));
        }

        if (listener.Tls is { } tls)
        {
            TlsValidation.ValidateData(path + ".tls.certificate_chain", tls.CertificateChain, PemKind.Certificate, options, errors);
            TlsValidation.ValidateData(path + ".tls.private_key", tls.PrivateKey, PemKind.PrivateKey, options, errors);
        }
    }

    public static void ValidateDistinctPorts(DesiredState state, ICollection<ValidationError> errors)
    {
        var owners = new Dictionary<int, string>();
        foreach (var (key, listener) in state.Listeners)
        {
            if (!owners.TryAdd(listener.Port, key))
            {
                errors.Add(new ValidationError(
                    ConfigValidator.Path("listeners", key) + ".port",
                    $"port {listener.Port} is already used by listener {ValidationText.Quote(owners[listener.Port])}"));
            }
        }
    }
}
