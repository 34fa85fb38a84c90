namespace MarchProxy.ControlPlane.Model;

/// <summary>The listener part of <see cref="ConfigValidator"/>.</summary>
internal static class ListenerValidation
{
    public static void Validate(string path, string key, ListenerSpec listener, List<ValidationError> errors)
    {
        ConfigValidator.ValidateKey(path, key, listener.Name, errors);
        ConfigValidator.ValidatePort(path + ".port", listener.Port, errors);

        if (!HostAddress.IsIpLiteral(listener.Address))
        {
            errors.Add(new ValidationError(path + ".address", $"'{listener.Address}' must be an IP literal"));
        }

        if (listener.Tls is { } tls)
        {
            ValidateData(path + ".tls.certificate_chain", tls.CertificateChain, errors);
            ValidateData(path + ".tls.private_key", tls.PrivateKey, errors);
        }
    }

    public static void ValidateDistinctPorts(DesiredState state, List<ValidationError> errors)
    {
        var owners = new Dictionary<int, string>();
        foreach (var (key, listener) in state.Listeners)
        {
            if (!owners.TryAdd(listener.Port, key))
            {
                errors.Add(new ValidationError(
                    ConfigValidator.Path("listeners", key) + ".port",
                    $"port {listener.Port} is already used by listener '{owners[listener.Port]}'"));
            }
        }
    }

    private static void ValidateData(string path, DataSpec? data, List<ValidationError> errors)
    {
        var hasFile = !string.IsNullOrEmpty(data?.FilePath);
        var hasInline = !string.IsNullOrEmpty(data?.Inline);
        if (hasFile == hasInline)
        {
            errors.Add(new ValidationError(path, "exactly one of a file path and inline PEM must be set"));
        }
    }
}
