namespace MarchProxy.Alb.State;

/// <summary>The standalone (edge-proxy) config file, read at first start and on Reload.</summary>
public interface IStandaloneConfigSource
{
    /// <summary>The file in use, or null when none is configured.</summary>
    string? Path { get; }

    StandaloneLoadResult Load();
}
