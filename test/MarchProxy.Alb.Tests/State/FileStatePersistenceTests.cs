using System.Collections.Immutable;
using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MarchProxy.Alb.Tests.State;

public sealed class FileStatePersistenceTests
{
    private TempDirectory _dir = null!;
    private FileStatePersistence _persistence = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = new TempDirectory();
        _persistence = new FileStatePersistence(_dir.Combine("data"), new FakeTimeProvider(), NullLogger<FileStatePersistence>.Instance);
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public void Load_NothingSaved_ReturnsNull()
    {
        _persistence.Load().Should().BeNull();
    }

    [Test]
    public void SaveThenLoad_RichState_RoundTripsEveryField()
    {
        var stored = new StoredState(RichState(), new ApiOwnership
        {
            Routes = ImmutableSortedSet.Create(StringComparer.Ordinal, "api"),
            Clusters = ImmutableSortedSet.Create(StringComparer.Ordinal, "web", "gone"),
        });

        _persistence.Save(stored);
        var loaded = _persistence.Load()!;

        loaded.Version.Should().Be(17);
        loaded.Ownership.Routes.Should().Equal("api");
        loaded.Ownership.Clusters.Should().Equal("gone", "web");
        Normalise(loaded.State).Should().BeEquivalentTo(Normalise(stored.State));
        loaded.State.Routes.KeyComparer.Should().Be(StringComparer.Ordinal);
        File.Exists(_persistence.Location + ".tmp").Should().BeFalse();
    }

    [Test]
    public void Save_Twice_KeepsOnlyTheNewest()
    {
        _persistence.Save(new StoredState(DesiredState.Empty with { Version = 1 }, ApiOwnership.None));
        _persistence.Save(new StoredState(DesiredState.Empty with { Version = 2 }, ApiOwnership.None));

        _persistence.Load()!.Version.Should().Be(2);
        Directory.GetFiles(_dir.Combine("data")).Select(Path.GetFileName).Should().Equal(FileStatePersistence.FileName);
    }

    [Test]
    public void Save_DirectoryIsAFile_ThrowsIOException()
    {
        File.WriteAllText(_dir.Combine("data"), "not a directory");

        var act = () => _persistence.Save(new StoredState(DesiredState.Empty with { Version = 1 }, ApiOwnership.None));

        act.Should().Throw<IOException>();
    }

    [Test]
    public void Load_Corrupt_ThrowsNamingTheFile()
    {
        Directory.CreateDirectory(_dir.Combine("data"));
        File.WriteAllText(_persistence.Location, "{ \"format\": 1, \"version\": ");

        var act = () => _persistence.Load();

        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(_persistence.Location);
    }

    [TestCase("{}", "missing required 'format', 'version', 'routes', 'clusters'")]
    [TestCase("""{ "format": 1, "version": 3, "clusters": [] }""", "missing required 'routes'")]
    [TestCase("""{ "format": 1, "version": 3, "routes": [] }""", "missing required 'clusters'")]
    [TestCase("""{ "format": 1, "routes": [], "clusters": [] }""", "missing required 'version'")]
    [TestCase("""{ "version": 3, "routes": [], "clusters": [] }""", "missing required 'format'")]
    [TestCase("""{ "format": 1, "version": 3, "routes": null, "clusters": [] }""", "line 1")]
    [TestCase("""{ "format": 1, "version": 3, "routes": [], "routes": [], "clusters": [] }""", "given more than once")]
    [TestCase("""{ "format": 1, "version": 3, "routes": [{ "name": null }], "clusters": [] }""", "'name' must not be null")]
    [TestCase("""{ "format": 1, "version": 3, "routes": [{ "cluster": "c" }], "clusters": [] }""", "missing required 'name'")]
    [TestCase("""{ "format": 1, "version": 3, "routes": [null], "clusters": [] }""", "routes[0] has no name")]
    [TestCase("""{ "format": 1, "version": 3, "routes": [], "clusters": [{ "name": "c" }, { "name": "c" }] }""", "clusters[1]: the name 'c' appears more than once")]
    [TestCase("""{ "format": 1, "version": 9223372036854775807, "routes": [], "clusters": [] }""", "version 9223372036854775807 is out of range")]
    [TestCase("""{ "format": 1, "version": 4611686018427387903, "routes": [], "clusters": [] }""", "leaves no room")]
    [TestCase("""{ "format": 1, "version": -1, "routes": [], "clusters": [] }""", "out of range")]
    [TestCase("""{ "format": 2, "version": 3, "routes": [], "clusters": [] }""", "unknown format 2")]
    [TestCase("null", "holds no state")]
    [TestCase("", "is not valid")]
    public void Load_IncompleteOrDamagedFile_ThrowsNamingTheFileAndTheProblem(string json, string problem)
    {
        Directory.CreateDirectory(_dir.Combine("data"));
        File.WriteAllText(_persistence.Location, json);

        var act = () => _persistence.Load();

        var message = act.Should().Throw<InvalidDataException>().Which.Message;
        message.Should().Contain(_persistence.Location).And.Contain(problem).And.NotContain(Environment.NewLine).And.NotContain("MarchProxy.");
    }

    [Test]
    public void Load_HighestAllowedVersion_Restores()
    {
        Directory.CreateDirectory(_dir.Combine("data"));
        File.WriteAllText(_persistence.Location, $$"""{ "format": 1, "version": {{PersistedStateDocument.MaxVersion}}, "routes": [], "clusters": [] }""");

        _persistence.Load()!.Version.Should().Be(PersistedStateDocument.MaxVersion);
    }

    [Test]
    public void Load_StatePathIsADirectory_ThrowsSayingSo()
    {
        Directory.CreateDirectory(_persistence.Location);

        var act = () => _persistence.Load();

        act.Should().Throw<InvalidDataException>().Which.Message.Should().Contain(_persistence.Location).And.Contain("is a directory");
    }

    [Test]
    [Platform("Linux")]
    public void DirectorySync_ExistingDirectory_FlushesIt()
    {
        DirectorySync.TryFlush(_dir.Path).Should().BeTrue();
        DirectorySync.TryFlush(_dir.Combine("missing")).Should().BeFalse();
    }

    private static DesiredState RichState() => DesiredState.Empty
        .WithListener(new ListenerSpec
        {
            Name = "tls",
            Port = 443,
            Tls = new ListenerTlsSpec { CertificateChain = new DataSpec { FilePath = "/c.pem" }, PrivateKey = new DataSpec { Inline = "KEY" } },
        })
        .WithCluster(new ClusterSpec
        {
            Name = "web",
            Endpoints = [new EndpointSpec("10.0.0.1", 80, 2), new EndpointSpec("web.internal", 8080)],
            LoadBalancing = LoadBalancingPolicy.Maglev,
            ConnectTimeout = TimeSpan.FromMilliseconds(1500),
            Http2 = true,
            HealthCheck = new HealthCheckSpec { HttpPath = "/h" },
            OutlierDetection = new OutlierDetectionSpec { Consecutive5xx = 3 },
            CircuitBreakers = new CircuitBreakerSpec { MaxRequests = 5 },
            Tls = new UpstreamTlsSpec { Sni = "web.internal", TrustedCaPem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n" },
        })
        .WithRoute(new RouteSpec
        {
            Name = "api",
            Match = new RouteMatchSpec { Regex = "^/a.*", Hosts = ["a.example.com"], Headers = [new HeaderMatchSpec("x", "y")] },
            Backends = [new WeightedBackend("web", 7)],
            Timeout = TimeSpan.FromSeconds(3),
            Retry = new RetryPolicySpec { NumRetries = 4, PerTryTimeout = TimeSpan.FromSeconds(1) },
            WebSocket = true,
            RateLimit = new RateLimitSpec(10, 20),
            Enabled = false,
            Order = 5,
            HashPolicies = [HashPolicySpec.Header("x-user", terminal: true), HashPolicySpec.Cookie("sid", TimeSpan.FromMinutes(5), "/"), HashPolicySpec.SourceIp()],
        }) with
    { Version = 17 };

    /// <summary>The model's collections compare by reference; compare their contents.</summary>
    private static object Normalise(DesiredState state) => new
    {
        state.Version,
        Listeners = state.Listeners.Values.ToList(),
        Clusters = state.Clusters.Values.Select(c => new { c.Name, Endpoints = c.Endpoints.ToList(), c.LoadBalancing, c.ConnectTimeout, c.Http2, c.HealthCheck, c.OutlierDetection, c.CircuitBreakers, c.Tls }).ToList(),
        Routes = state.Routes.Values.Select(r => new
        {
            r.Name,
            r.Match.PathPrefix,
            r.Match.Path,
            r.Match.Regex,
            Hosts = r.Match.Hosts.ToList(),
            Headers = r.Match.Headers.ToList(),
            r.Cluster,
            Backends = r.Backends.ToList(),
            r.Timeout,
            r.Retry,
            r.WebSocket,
            r.RateLimit,
            r.Enabled,
            r.Order,
            HashPolicies = r.HashPolicies.ToList(),
        }).ToList(),
    };
}
