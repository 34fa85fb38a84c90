namespace MarchProxy.Testing;

/// <summary>The ports an ALB process bound, as its start-up line reports them.</summary>
public sealed record AlbPorts(int Api, int Xds, int Health, int Metrics)
{
    public Uri ApiAddress => new($"http://127.0.0.1:{Api}");

    public Uri HealthAddress => new($"http://127.0.0.1:{Health}");

    public Uri MetricsAddress => new($"http://127.0.0.1:{Metrics}");
}
