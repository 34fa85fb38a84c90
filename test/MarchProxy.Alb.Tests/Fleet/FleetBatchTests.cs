using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MarchProxy.Alb.Tests.Api;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Fleet;

[NonParallelizable]
public sealed class FleetBatchTests
{
    [Test]
    public async Task ApplyBatch_EtcdStore_WritesEveryItemInOneRevision()
    {
        await using var fleet = await FleetHosts.StartAsync(hosts: 1);
        var request = ApplyBatchTests.Batch(
            ApplyBatchTests.UpsertCluster("c1"),
            ApplyBatchTests.UpsertCluster("c2"),
            ApplyBatchTests.UpsertRoute("r1", "c1", "/one/"),
            ApplyBatchTests.UpsertRoute("r2", "c2", "/two/"));

        var response = await fleet[0].Client.ApplyBatchAsync(request).ResponseAsync.DefaultTimeout();

        var revisions = await ModRevisionsAsync(fleet, ["clusters/c1", "clusters/c2", "routes/r1", "routes/r2", "api/routes/r1", "meta"]);
        revisions.Values.Should().AllSatisfy(r => r.Should().Be(response.Version), "the batch is one etcd transaction, and its revision is the version");
        (await fleet[0].Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Version.Should().Be(response.Version);
    }

    /// <summary>The mod_revision of each key (under the fleet's prefix), read through etcd's JSON gateway.</summary>
    private static async Task<Dictionary<string, long>> ModRevisionsAsync(FleetHosts fleet, string[] keys)
    {
        using var http = new HttpClient();
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var key in keys)
        {
            var body = new { key = Convert.ToBase64String(Encoding.UTF8.GetBytes(fleet.Prefix + key)) };
            using var reply = await http.PostAsJsonAsync(new Uri(fleet.Etcd.Members[0].ClientUrl + "/v3/kv/range"), body).DefaultTimeout();
            using var json = JsonDocument.Parse(await reply.Content.ReadAsStringAsync());
            var kv = json.RootElement.GetProperty("kvs")[0];
            result[key] = long.Parse(kv.GetProperty("mod_revision").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        }

        return result;
    }
}
