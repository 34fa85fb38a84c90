namespace MarchProxy.Alb.Configuration;

/// <summary>A setting is malformed: the message names the setting and the value that was given.</summary>
public sealed class AlbConfigurationException : Exception
{
    public AlbConfigurationException()
    {
    }

    public AlbConfigurationException(string message)
        : base(message)
    {
    }

    public AlbConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
