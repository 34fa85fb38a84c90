namespace MarchProxy.Testing;

/// <summary>
/// PEM files for an etcd that serves https and requires a client certificate: the CA that signs both
/// sides, the server's certificate and key, and a client certificate and key for administrative calls.
/// </summary>
public sealed record EtcdTls(string CaFile, string ServerCertFile, string ServerKeyFile, string ClientCertFile, string ClientKeyFile);
