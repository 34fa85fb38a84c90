using Envoy.Config.Core.V3;
using Envoy.Config.Route.V3;
using Envoy.Extensions.Filters.Http.LocalRatelimit.V3;
using Envoy.Type.Matcher.V3;
using Envoy.Type.V3;
using Google.Protobuf.WellKnownTypes;
using MarchProxy.ControlPlane.Model;
using MarchProxy.ControlPlane.Translation;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static MarchProxy.ControlPlane.Tests.TestSupport.SpecFactory;
using RetryPolicy = Envoy.Config.Route.V3.RetryPolicy;

namespace MarchProxy.ControlPlane.Tests.Translation;

public sealed class EnvoyTranslatorRouteTests
{
    private EnvoyTranslator _translator = null!;

    [SetUp]
    public void SetUp() => _translator = new EnvoyTranslator(Options.Create(new TranslationOptions()), NullLogger<EnvoyTranslator>.Instance);

    [Test]
    public void Translate_RouteWithEveryOption_BuildsTheExpectedRoute()
    {
        var spec = new RouteSpec
        {
            Name = "api",
            Match = new RouteMatchSpec { PathPrefix = "/api", Headers = [new HeaderMatchSpec("x-canary", "true")] },
            Backends = [new WeightedBackend("blue", 90), new WeightedBackend("green", 10)],
            Timeout = TimeSpan.FromSeconds(3),
            Retry = new RetryPolicySpec { RetryOn = "5xx", NumRetries = 2, PerTryTimeout = TimeSpan.FromMilliseconds(500) },
            WebSocket = true,
            RateLimit = new RateLimitSpec(1000, 100),
        };

        var route = SingleRoute(State(Cluster("blue"), Cluster("green"), spec));

        var expected = new Route
        {
            Name = "api",
            StatPrefix = "api",
            Match = new RouteMatch
            {
                Prefix = "/api",
                Headers = { new HeaderMatcher { Name = "x-canary", StringMatch = new StringMatcher { Exact = "true" } } },
            },
            Route_ = new RouteAction
            {
                WeightedClusters = new WeightedCluster
                {
                    Clusters =
                    {
                        new WeightedCluster.Types.ClusterWeight { Name = "blue", Weight = 90 },
                        new WeightedCluster.Types.ClusterWeight { Name = "green", Weight = 10 },
                    },
                },
                Timeout = Duration.FromTimeSpan(TimeSpan.FromSeconds(3)),
                RetryPolicy = new RetryPolicy { RetryOn = "5xx", NumRetries = 2, PerTryTimeout = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(500)) },
                UpgradeConfigs = { new RouteAction.Types.UpgradeConfig { UpgradeType = "websocket", Enabled = true } },
            },
            TypedPerFilterConfig =
            {
                ["envoy.filters.http.local_ratelimit"] = Any.Pack(new LocalRateLimit
                {
                    StatPrefix = "api",
                    TokenBucket = new TokenBucket { MaxTokens = 100, TokensPerFill = 100, FillInterval = new Duration { Nanos = 100_000_000 } },
                    FilterEnabled = Percent100("local_rate_limit_enabled"),
                    FilterEnforced = Percent100("local_rate_limit_enforced"),
                }),
            },
        };
        route.Should().Be(expected);
        route.Route_.WeightedClusters.TotalWeight.Should().BeNull("total_weight is deprecated");
    }

    [TestCase(1000, 100, 100u, 100u, 0L, 100_000_000)]
    [TestCase(10, 100, 100u, 1u, 0L, 100_000_000)]
    [TestCase(7, 1, 7u, 7u, 1L, 0)]
    [TestCase(1_000_000, 100, 50_000u, 50_000u, 0L, 50_000_000)]
    public void Translate_RateLimit_PutsTheExactTokenBucketInTheRoute(int rps, int burst, uint maxTokens, uint perFill, long seconds, int nanos)
    {
        var route = SingleRoute(State(Cluster("web"), Route("api", "web") with { RateLimit = new RateLimitSpec(rps, burst) }));

        var limit = route.TypedPerFilterConfig["envoy.filters.http.local_ratelimit"].Unpack<LocalRateLimit>();
        limit.TokenBucket.Should().Be(new TokenBucket { MaxTokens = maxTokens, TokensPerFill = perFill, FillInterval = new Duration { Seconds = seconds, Nanos = nanos } });
        limit.FilterEnabled.DefaultValue.Should().Be(new FractionalPercent { Numerator = 100, Denominator = FractionalPercent.Types.DenominatorType.Hundred });
        limit.FilterEnforced.DefaultValue.Should().Be(new FractionalPercent { Numerator = 100, Denominator = FractionalPercent.Types.DenominatorType.Hundred });
    }

    [Test]
    public void Translate_PlainRoute_HasClusterAndNoOptionalConfig()
    {
        var route = SingleRoute(State(Cluster("web"), Route("api", "web", "/api") with { RateLimit = new RateLimitSpec(10, 10, Enabled: false) }));

        route.Should().Be(new Route
        {
            Name = "api",
            StatPrefix = "api",
            Match = new RouteMatch { Prefix = "/api" },
            Route_ = new RouteAction { Cluster = "web" },
        });
    }

    [Test]
    public void Translate_PathAndRegexMatches_UsePathAndSafeRegex()
    {
        var resources = _translator.Translate(State(
            Cluster("web"),
            Route("exact", "web") with { Match = new RouteMatchSpec { Path = "/healthz" } },
            Route("regex", "web") with { Match = new RouteMatchSpec { Regex = "/v[0-9]+/.*" } },
            new RouteSpec { Name = "default", Cluster = "web" }));

        var routes = RoutesOf(resources).ToDictionary(r => r.Name);
        routes["exact"].Match.Should().Be(new RouteMatch { Path = "/healthz" });
        routes["regex"].Match.Should().Be(new RouteMatch { SafeRegex = new RegexMatcher { Regex = "/v[0-9]+/.*" } });
        routes["default"].Match.Should().Be(new RouteMatch { Prefix = "/" });
    }

    [Test]
    public void Translate_DisabledRoute_IsNotServed()
    {
        var resources = _translator.Translate(State(Cluster("web"), Route("on", "web", "/on"), Route("off", "web", "/off") with { Enabled = false }));

        RoutesOf(resources).Select(r => r.Name).Should().Equal("on");
    }

    [Test]
    public void Translate_Hosts_OneVirtualHostPerDomainWithHostlessRoutesLast()
    {
        var resources = _translator.Translate(State(
            Cluster("web"),
            Route("any", "web", "/"),
            Route("shop", "web", "/shop", "Shop.example.com", "shop.example.com"),
            Route("both", "web", "/both", "api.example.com", "shop.example.com"),
            Route("star", "web", "/star", "*")));

        var config = (RouteConfiguration)resources.Routes.Single();
        config.VirtualHosts.Select(v => (v.Name, string.Join(",", v.Domains), string.Join(",", v.Routes.Select(r => r.Name))))
            .Should().Equal(
                ("api.example.com", "api.example.com", "both,star,any"),
                ("shop.example.com", "shop.example.com", "both,shop,star,any"),
                ("*", "*", "star,any"));
        config.VirtualHosts.SelectMany(v => v.Domains).Should().OnlyHaveUniqueItems("Envoy NACKs a domain in two virtual hosts");
    }

    [Test]
    public void Translate_Routes_SetTheRouteNameAsStatPrefixInEveryVirtualHost()
    {
        var resources = _translator.Translate(State(
            Cluster("web"),
            Route("any", "web", "/"),
            Route("shop.v2", "web", "/shop", "shop.example.com")));

        var config = (RouteConfiguration)resources.Routes.Single();
        config.VirtualHosts.SelectMany(v => v.Routes.Select(r => (v.Name, r.Name, r.StatPrefix)))
            .Should().BeEquivalentTo(new[]
            {
                ("shop.example.com", "shop.v2", "shop.v2"),
                ("shop.example.com", "any", "any"),
                ("*", "any", "any"),
            });
    }

    [Test]
    public void Translate_RoutesInAVirtualHost_AreOrderedByOrderThenSpecificityThenName()
    {
        var resources = _translator.Translate(State(
            Cluster("web"),
            Route("b-root", "web", "/"),
            Route("a-root", "web", "/"),
            Route("long", "web", "/api/v1"),
            Route("short", "web", "/api"),
            Route("short-header", "web", "/api") with { Match = new RouteMatchSpec { PathPrefix = "/api", Headers = [new HeaderMatchSpec("x-canary", "1")] } },
            Route("regex", "web") with { Match = new RouteMatchSpec { Regex = "/.*" } },
            Route("exact", "web") with { Match = new RouteMatchSpec { Path = "/x" } },
            Route("first", "web", "/") with { Order = -1 },
            Route("last", "web", "/api/v1/very/long") with { Order = 5 }));

        RoutesOf(resources).Select(r => r.Name).Should().Equal(
            "first", "exact", "regex", "long", "short-header", "short", "a-root", "b-root", "last");
    }

    private Route SingleRoute(DesiredState state) => RoutesOf(_translator.Translate(state)).Single();

    private static IEnumerable<Route> RoutesOf(TranslatedResources resources) =>
        ((RouteConfiguration)resources.Routes.Single()).VirtualHosts.SelectMany(v => v.Routes);

    private static RuntimeFractionalPercent Percent100(string key) => new()
    {
        RuntimeKey = key,
        DefaultValue = new FractionalPercent { Numerator = 100, Denominator = FractionalPercent.Types.DenominatorType.Hundred },
    };
}
