using MarchProxy.Alb.Configuration;
using MarchProxy.Alb.Fleet;
using Microsoft.Extensions.Options;

namespace MarchProxy.Alb.Tests.Fleet;

public sealed class EtcdOptionsValidatorTests
{
    [Test]
    public void Validate_FileStore_IgnoresTheEtcdSettings()
    {
        var validator = new EtcdOptionsValidator(Options.Create(new AlbOptions()));

        validator.Validate(null, new EtcdOptions { Endpoints = "nonsense" }).Succeeded.Should().BeTrue();
    }

    [Test]
    public void Validate_EtcdStoreWithBadSettings_NamesEveryVariable()
    {
        var validator = new EtcdOptionsValidator(Options.Create(new AlbOptions { StateStore = "etcd" }));

        var result = validator.Validate(null, new EtcdOptions { Endpoints = "etcd:2379", Prefix = "marchproxy", Username = "root", CertFile = "/nowhere.pem" });

        result.Failed.Should().BeTrue();
        result.FailureMessage.Should().Contain("ETCD_ENDPOINTS (Etcd:Endpoints)").And.Contain("'etcd:2379'")
            .And.Contain("ETCD_PREFIX (Etcd:Prefix)").And.Contain("ETCD_PASSWORD").And.Contain("ETCD_KEY_FILE");
    }

    [Test]
    public void Validate_EtcdStoreDefaults_Succeeds()
    {
        var validator = new EtcdOptionsValidator(Options.Create(new AlbOptions { StateStore = "etcd" }));

        validator.Validate(null, new EtcdOptions { Endpoints = "http://10.0.0.1:2379, http://10.0.0.2:2379" }).Succeeded.Should().BeTrue();
    }

    [Test]
    public void AlbValidate_UnknownStateStore_NamesStateStore()
    {
        var result = new AlbOptionsValidator().Validate(null, new AlbOptions { StateStore = "redis" });

        result.FailureMessage.Should().Contain("STATE_STORE (Alb:StateStore) must be file or etcd, got 'redis'");
    }
}
