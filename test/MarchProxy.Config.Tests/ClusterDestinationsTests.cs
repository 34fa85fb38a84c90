namespace MarchProxy.Config.Tests;

public sealed class ClusterDestinationsTests
{
    private static readonly Func<string, string> Quote = address => $"'{address}'";

    [TestCase("http://10.0.0.1:8080", "http", "10.0.0.1", 8080)]
    [TestCase("https://api.internal", "https", "api.internal", 443)]
    [TestCase("http://api.internal/", "http", "api.internal", 80)]
    [TestCase("10.0.0.1:81", "http", "10.0.0.1", 81)]
    [TestCase("[::1]:8080", "http", "::1", 8080)]
    public void TryParse_ValidForms_Parse(string address, string scheme, string host, int port)
    {
        ClusterDestinations.TryParse(address, Quote, out var s, out var h, out var p, out _).Should().BeTrue();
        (s, h, p).Should().Be((scheme, host, port));
    }

    [TestCase("10.0.0.1", "'10.0.0.1' needs a port, e.g. '10.0.0.1:8080'")]
    [TestCase("ftp://10.0.0.1:21", "'ftp://10.0.0.1:21' must look like")]
    [TestCase("http://10.0.0.1:80/path", "'http://10.0.0.1:80/path': paths are not supported in a destination address, which must look like")]
    [TestCase("http://10.0.0.1:80?x=1", "paths are not supported")]
    [TestCase("", "is required")]
    public void TryParse_InvalidForms_FailSayingWhy(string address, string error)
    {
        ClusterDestinations.TryParse(address, Quote, out _, out _, out _, out var message).Should().BeFalse();
        message.Should().Contain(error);
    }

    [Test]
    public void Read_HttpsDestinations_TurnTlsOnWithTheFirstDnsNameAsSni()
    {
        var cluster = new FileCluster
        {
            Destinations = new()
            {
                ["ip"] = new FileDestination { Address = "https://10.0.0.5" },
                ["dns"] = new FileDestination { Address = "https://api.internal:8443", Weight = 3 },
                ["other"] = new FileDestination { Address = "https://other.internal" },
            },
        };

        var read = ClusterDestinations.Read(cluster, Quote);

        read.Errors.Should().BeEmpty();
        read.Https.Should().BeTrue();
        read.TlsHost.Should().Be("api.internal");
        read.Endpoints.Select(d => (d.Key, d.Host, d.Port, d.Destination.Weight)).Should().Equal(("ip", "10.0.0.5", 443, null), ("dns", "api.internal", 8443, 3), ("other", "other.internal", 443, null));
    }

    [Test]
    public void Read_BadAndMixedDestinations_NameEachOneThenTheMix()
    {
        var cluster = new FileCluster
        {
            Destinations = new()
            {
                ["a"] = new FileDestination { Address = "http://10.0.0.5:80" },
                ["b"] = new FileDestination { Address = "10.0.0.6" },
                ["c"] = new FileDestination { Address = "https://api.internal" },
            },
        };

        var read = ClusterDestinations.Read(cluster, Quote);

        read.Errors.Select(e => e.Field).Should().Equal("Destinations:b:Address", "Destinations");
        read.Endpoints.Select(d => d.Key).Should().Equal("a", "c");
        read.Https.Should().BeTrue();
        read.TlsHost.Should().Be("api.internal");
    }
}
