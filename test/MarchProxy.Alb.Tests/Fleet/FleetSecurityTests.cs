using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using MarchProxy.Alb.Tests.Infrastructure;
using MarchProxy.Api.V1;

namespace MarchProxy.Alb.Tests.Fleet;

/// <summary>etcd's own authentication and mutual TLS, each on an etcd of its own (both change how etcd is started).</summary>
[NonParallelizable]
public sealed class FleetSecurityTests
{
    [Test]
    public async Task Auth_UserWithAReadWriteRoleOnThePrefix_MutationsWorkAndAreWatched_ExpiredTokensAreRenewed_AWrongPasswordStopsTheStart()
    {
        await using var etcd = await FleetHosts.StartEtcdAsync();
        await using var fleet = FleetHosts.On(etcd, hosts: 3);
        await etcd.EnableAuthAsync(fleet.Prefix, "alb", "s3cret");
        var user = new Dictionary<string, string?> { ["Etcd:Username"] = "alb", ["Etcd:Password"] = "s3cret" };
        await fleet.StartHostAsync(0, extra: user);
        await fleet.StartHostAsync(1, extra: user);

        await fleet[0].Client.UpsertClusterAsync(Requests.UpsertCluster("web")).ResponseAsync.DefaultTimeout();
        var route = await fleet[0].Client.UpsertRouteAsync(Requests.UpsertRoute("web", "web")).ResponseAsync.DefaultTimeout();
        await fleet.WaitForVersionAsync(route.Version);
        (await fleet[1].Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Select(r => r.Name).Should().Equal("web");

        // etcd forgets every token it gave: the next call is refused once, then made with a new token.
        await etcd.RevokeTokensAsync();
        var after = await fleet[1].Client.UpsertRouteAsync(Requests.UpsertRoute("api", "web", "/api/")).ResponseAsync.DefaultTimeout();
        await fleet.WaitForVersionAsync(after.Version);
        (await fleet[0].Client.GetRoutesAsync(new RoutesRequest()).ResponseAsync.DefaultTimeout()).Routes.Select(r => r.Name).Should().BeEquivalentTo("web", "api");
        (await etcd.GetEntriesAsync(fleet.Prefix + "routes/")).Select(e => e.Key).Should().BeEquivalentTo(fleet.Prefix + "routes/web", fleet.Prefix + "routes/api");

        var wrong = () => fleet.StartHostAsync(2, extra: new Dictionary<string, string?> { ["Etcd:Username"] = "alb", ["Etcd:Password"] = "wrong" });
        var refused = await wrong.Should().ThrowAsync<Exception>();
        refused.Which.ToString().Should().Contain("etcd refused the user 'alb' (ETCD_USERNAME, ETCD_PASSWORD)").And.Contain("authentication failed");
    }

    [Test]
    public async Task MutualTls_TheRightFilesWork_WithoutAClientCertificateTheStoreIsUnreachableWithTheReason()
    {
        using var directory = new TempDirectory();
        using var certificates = new TestCertificates(directory);
        var clientCert = directory.Combine("client.pem");
        var clientKey = directory.Combine("client-key.pem");
        await File.WriteAllTextAsync(clientCert, certificates.Client.ExportCertificatePem());
        await File.WriteAllTextAsync(clientKey, certificates.Client.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        await using var etcd = await FleetHosts.StartEtcdAsync(tls: new EtcdTls(certificates.CaFile, certificates.ServerCertFile, certificates.ServerKeyFile, clientCert, clientKey));
        etcd.Endpoints.Should().StartWith("https://");
        await using var fleet = FleetHosts.On(etcd, hosts: 2);

        await fleet.StartHostAsync(0, extra: new Dictionary<string, string?>
        {
            ["Etcd:CaFile"] = certificates.CaFile,
            ["Etcd:CertFile"] = clientCert,
            ["Etcd:KeyFile"] = clientKey,
        });
        await fleet[0].Client.UpsertClusterAsync(Requests.UpsertCluster("web")).ResponseAsync.DefaultTimeout();
        var route = await fleet[0].Client.UpsertRouteAsync(Requests.UpsertRoute("web", "web")).ResponseAsync.DefaultTimeout();
        var status = await fleet[0].Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();
        status.ConfigVersion.Should().Be(route.Version);
        status.Fleet.StoreConnected.Should().BeTrue();

        await fleet.StartHostAsync(1, extra: new Dictionary<string, string?> { ["Etcd:CaFile"] = certificates.CaFile });
        var refused = await fleet[1].Client.UpsertClusterAsync(Requests.UpsertCluster("other")).ShouldFailWith(StatusCode.Unavailable);
        TestContext.Out.WriteLine(refused.Status.Detail);
        refused.Status.Detail.Should().Contain("the TLS handshake failed: check ETCD_CA_FILE, ETCD_CERT_FILE and ETCD_KEY_FILE");
        var disconnected = await fleet[1].Client.GetStatusAsync(new StatusRequest()).ResponseAsync.DefaultTimeout();
        disconnected.Fleet.StoreConnected.Should().BeFalse();
        disconnected.Fleet.StoreError.Should().Contain("ETCD_CERT_FILE");
        disconnected.ConfigVersion.Should().NotBe(route.Version, "it never read etcd's state");
    }
}
