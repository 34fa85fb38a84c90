using System.Net;

namespace MarchProxy.Supervisor;

/// <summary>Envoy's admin API answered, but not with success, or with a body that does not parse.</summary>
public sealed class EnvoyAdminException : Exception
{
    public EnvoyAdminException()
    {
    }

    public EnvoyAdminException(string message)
        : base(message)
    {
    }

    public EnvoyAdminException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EnvoyAdminException(string message, HttpStatusCode statusCode)
        : base(message)
    {
        StatusCode = statusCode;
    }

    public HttpStatusCode? StatusCode { get; }
}
