// Blue/green through MarchProxy.Client: two clusters, one route, then traffic moves from blue to green,
// each step waiting until every connected Envoy (and proxyless gRPC client) has ACKed it.
//
//   dotnet run --project examples/csharp/BlueGreen -- [API address, default http://localhost:50051]
//
// CLUSTER_API_KEY is sent when set. Exit code 0 when every step worked.
using Grpc.Core;
using MarchProxy.Api.V1;
using MarchProxy.Client;

var address = args.Length > 0 ? args[0] : Environment.GetEnvironmentVariable("MARCHPROXY_SERVER") ?? "http://localhost:50051";
using var client = new MarchProxyClient(new MarchProxyClientOptions
{
    Address = new Uri(address),
    ApiKey = Environment.GetEnvironmentVariable("CLUSTER_API_KEY"),
    AckTimeout = TimeSpan.FromSeconds(10),
});

try
{
    var status = await client.GetStatusAsync();
    Console.WriteLine($"Connected to {status.ModuleId} ({status.EnvoyState}), config version {status.ConfigVersion}");

    foreach (var (name, ip) in new[] { ("shop-blue", "10.0.10.1"), ("shop-green", "10.0.20.1") })
    {
        var cluster = new ClusterConfig { Name = name, LbPolicy = "ROUND_ROBIN" };
        cluster.Endpoints.Add(new Endpoint { Address = ip, Port = 8080 });
        cluster.HealthCheck = new HealthCheckConfig { HttpPath = "/healthz" };
        var reply = await client.UpsertClusterAsync(cluster, waitForAck: true);
        Console.WriteLine($"{reply.Message}: version {reply.Version}, {reply.Ack.AckedNodes} node(s) ACKed");
    }

    var route = new RouteConfig { Name = "shop", Prefix = "/", Enabled = true, TimeoutSeconds = 15 };
    route.Hosts.Add("shop.example.com");
    route.Weights.Add(new TrafficWeight { BackendName = "shop-blue", Weight = 100 });
    route.Weights.Add(new TrafficWeight { BackendName = "shop-green", Weight = 0 });
    var created = await client.UpsertRouteAsync(route, waitForAck: true);
    Console.WriteLine($"{created.Message}: version {created.Version}");

    foreach (var (blue, green) in new[] { (90, 10), (0, 100) })
    {
        var shifted = await client.SetTrafficWeightAsync(
            "shop",
            [new TrafficWeight { BackendName = "shop-blue", Weight = blue }, new TrafficWeight { BackendName = "shop-green", Weight = green }],
            waitForAck: true);
        Console.WriteLine($"blue {blue} / green {green}: version {shifted.Version}, {shifted.Ack.AckedNodes} ACKed, {shifted.Ack.PendingNodes} pending");
    }

    // A refused request names every bad field.
    try
    {
        await client.SetTrafficWeightAsync("shop", [new TrafficWeight { BackendName = "shop-grey", Weight = 1 }]);
    }
    catch (MarchProxyException e) when (e.StatusCode == StatusCode.InvalidArgument)
    {
        foreach (var violation in e.FieldViolations)
        {
            Console.WriteLine($"refused as expected: {violation.Field}: {violation.Description}");
        }
    }

    return 0;
}
catch (MarchProxyException e)
{
    Console.Error.WriteLine($"error: {e.StatusCode}: {e.Detail}");
    foreach (var violation in e.FieldViolations)
    {
        Console.Error.WriteLine($"  {violation.Field}: {violation.Description}");
    }

    if (e.ChangeApplied)
    {
        Console.Error.WriteLine($"  the change is applied (version {e.Version}) but not every node accepted it");
    }

    return 1;
}
