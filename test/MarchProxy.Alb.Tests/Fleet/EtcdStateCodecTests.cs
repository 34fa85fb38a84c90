using Google.Protobuf;
using MarchProxy.Alb.Fleet;
using MarchProxy.Alb.State;
using MarchProxy.Alb.Tests.State;
using Mvccpb;

namespace MarchProxy.Alb.Tests.Fleet;

public sealed class EtcdStateCodecTests
{
    private readonly EtcdKeys _keys = new("/mp/");

    [Test]
    public void Diff_OneRouteChanged_WritesOnlyThatRouteItsOwnershipAndMeta()
    {
        var current = new StoredState(StateBuilders.Desired(StateBuilders.Cluster("web"), StateBuilders.Route("a", "web"), StateBuilders.Route("b", "web")), ApiOwnership.None);
        var next = new StoredState(current.State.WithRoute(StateBuilders.Route("a", "web", "/a/")), current.Ownership.With([ResourceRef.Route("a")]));

        var ops = EtcdStateCodec.Diff(current, next, _keys, ByteString.CopyFromUtf8("{}"));

        ops.Select(o => o.RequestPut?.Key.ToStringUtf8()).Should().Equal("/mp/routes/a", "/mp/api/routes/a", "/mp/meta");
    }

    [Test]
    public void Diff_ClusterDeleted_DeletesItsKey()
    {
        var current = new StoredState(StateBuilders.Desired(StateBuilders.Cluster("web"), StateBuilders.Cluster("old")), ApiOwnership.None);
        var next = new StoredState(current.State.WithoutCluster("old"), current.Ownership);

        var ops = EtcdStateCodec.Diff(current, next, _keys, ByteString.Empty);

        ops.Should().HaveCount(2);
        ops[0].RequestDeleteRange.Key.ToStringUtf8().Should().Be("/mp/clusters/old");
    }

    [Test]
    public void Decode_AllKeysOfAState_GivesItBackWithTheNewestRevisionAsVersion()
    {
        var state = new StoredState(
            StateBuilders.Desired(StateBuilders.Cluster("web"), StateBuilders.Route("a", "web")),
            ApiOwnership.None.With([ResourceRef.Cluster("web")]));
        var revision = 10;
        var kvs = EtcdStateCodec.All(state, _keys, ByteString.CopyFromUtf8("{}"))
            .Select(op => new KeyValue { Key = op.RequestPut.Key, Value = op.RequestPut.Value, ModRevision = ++revision })
            .Append(new KeyValue { Key = ByteString.CopyFromUtf8("/mp/members/alb-1"), Value = ByteString.CopyFromUtf8("{}"), ModRevision = 99 })
            .Append(new KeyValue { Key = ByteString.CopyFromUtf8("/other/routes/x"), Value = ByteString.CopyFromUtf8("{}"), ModRevision = 98 });

        var decoded = EtcdStateCodec.Decode(kvs, _keys);

        decoded.Version.Should().Be(revision, "members and keys outside the prefix are not config");
        decoded.State.Routes.Keys.Should().Equal("a");
        decoded.State.Routes["a"].Cluster.Should().Be("web");
        decoded.State.Clusters.Keys.Should().Equal("web");
        decoded.Ownership.Clusters.Should().Equal("web");
    }

    [Test]
    public void Apply_KeyWithInvalidJson_ThrowsNamingTheKey()
    {
        var state = StoredState.Empty;

        var act = () => EtcdStateCodec.Apply(ref state, _keys, ByteString.CopyFromUtf8("/mp/routes/bad"), ByteString.CopyFromUtf8("{nope"));

        act.Should().Throw<InvalidDataException>().WithMessage("*/mp/routes/bad*");
    }

    [Test]
    public void Keys_PrefixEndAndTryParse_FollowTheLayout()
    {
        _keys.PrefixEnd.ToStringUtf8().Should().Be("/mp0");
        _keys.RangeEnd(EtcdKeys.Routes).ToStringUtf8().Should().Be("/mp/routes0");
        _keys.TryParse(ByteString.CopyFromUtf8("/mp/api/routes/x"), out var kind, out var name).Should().BeTrue();
        (kind, name).Should().Be((EtcdKeys.ApiRoutes, "x"));
        _keys.TryParse(ByteString.CopyFromUtf8("/mp/members/alb-2"), out kind, out name).Should().BeTrue();
        (kind, name).Should().Be((EtcdKeys.Members, "alb-2"));
        _keys.TryParse(ByteString.CopyFromUtf8("/mp/unknown/x"), out _, out _).Should().BeFalse();
    }
}
