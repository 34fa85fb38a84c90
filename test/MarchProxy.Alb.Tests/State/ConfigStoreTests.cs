using MarchProxy.Alb.State;
using Microsoft.Extensions.Logging.Abstractions;
using static MarchProxy.Alb.Tests.State.StateBuilders;

namespace MarchProxy.Alb.Tests.State;

public sealed class ConfigStoreTests
{
    private FakeStatePublisher _publisher = null!;
    private MemoryPersistence _persistence = null!;
    private FixedStandalone _standalone = null!;
    private ConfigStore _store = null!;

    [SetUp]
    public async Task SetUp()
    {
        _publisher = new FakeStatePublisher();
        _persistence = new MemoryPersistence();
        _standalone = FixedStandalone.Of(Desired(Cluster("c")));
        _store = new ConfigStore(_persistence, _publisher, new ModelStateValidator(), _standalone, NullLogger<ConfigStore>.Instance);
        await _store.InitializeAsync(CancellationToken.None);
    }

    [TearDown]
    public void TearDown() => _store.Dispose();

    [Test]
    public void Initialize_NoPersistedState_LoadsTheStandaloneConfigAsVersion1PersistsAndPublishesIt()
    {
        _store.IsInitialized.Should().BeTrue();
        _store.Current.Version.Should().Be(1);
        _store.Current.State.Clusters.Keys.Should().Equal("c");
        _persistence.Saved!.Version.Should().Be(1);
        _publisher.Published.Select(s => s.Version).Should().Equal(1);
    }

    [Test]
    public async Task Initialize_PersistedState_RestoresItInsteadOfTheFile()
    {
        var persisted = new StoredState(Desired(Cluster("kept")) with { Version = 42 }, ApiOwnership.None);
        var persistence = new MemoryPersistence { Saved = persisted };
        var publisher = new FakeStatePublisher();
        using var store = new ConfigStore(persistence, publisher, new ModelStateValidator(), _standalone, NullLogger<ConfigStore>.Instance);

        await store.InitializeAsync(CancellationToken.None);

        store.Current.Should().Be(persisted);
        publisher.Published.Single().Version.Should().Be(42);
        persistence.Saves.Should().Be(0);
    }

    [Test]
    public async Task Initialize_PersistedStateInvalid_Throws()
    {
        var persistence = new MemoryPersistence { Saved = new StoredState(Desired(Route("r", "missing")) with { Version = 3 }, ApiOwnership.None) };
        using var store = new ConfigStore(persistence, new FakeStatePublisher(), new ModelStateValidator(), _standalone, NullLogger<ConfigStore>.Instance);

        var act = () => store.InitializeAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain("routes[r].cluster");
        store.IsInitialized.Should().BeFalse();
    }

    [Test]
    public async Task Initialize_DataDirNotWritable_ThrowsNamingTheLocationAndPublishesNothing()
    {
        var persistence = new MemoryPersistence { Fail = true };
        var publisher = new FakeStatePublisher();
        using var store = new ConfigStore(persistence, publisher, new ModelStateValidator(), _standalone, NullLogger<ConfigStore>.Instance);

        var act = () => store.InitializeAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidDataException>()).Which.Message.Should().Contain("memory").And.Contain("disk full");
        publisher.Published.Should().BeEmpty();
        store.IsInitialized.Should().BeFalse();
    }

    [Test]
    public async Task Apply_Valid_IncrementsTheVersionPersistsThenPublishes()
    {
        var result = await _store.ApplyAsync("test", s => MutationOutcome.Changed(s.WithRoute(Route("r", "c")), "ok", ResourceRef.Route("r")), false, CancellationToken.None);

        result.Status.Should().Be(ApplyStatus.Applied);
        result.Version.Should().Be(2);
        _store.Current.Version.Should().Be(2);
        _store.Current.Ownership.Routes.Should().Equal("r");
        _persistence.Saved!.Version.Should().Be(2);
        _publisher.Published.Select(s => s.Version).Should().Equal(1, 2);
    }

    [Test]
    public async Task Apply_ModelInvalid_RefusedWithTheValidatorsPathsAndNothingChanges()
    {
        var result = await _store.ApplyAsync("test", s => MutationOutcome.Changed(s.WithRoute(Route("r", "missing")), "ok"), false, CancellationToken.None);

        result.Status.Should().Be(ApplyStatus.Invalid);
        result.Version.Should().Be(1);
        result.Violations.Select(v => v.Field).Should().Equal("routes[r].cluster");
        AssertUnchanged();
    }

    [Test]
    public async Task Apply_DryRunFails_RefusedAndNothingChanges()
    {
        _publisher.FailDryRunWith = ["Envoy: route configuration 'x' is not referenced"];

        var result = await _store.ApplyAsync("test", s => MutationOutcome.Changed(s.WithCluster(Cluster("d")), "ok"), false, CancellationToken.None);

        result.Status.Should().Be(ApplyStatus.Invalid);
        result.Message.Should().Contain("is not referenced");
        AssertUnchanged();
    }

    [Test]
    public async Task Apply_PersistFails_UnavailableAndNothingIsPublished()
    {
        _persistence.Fail = true;

        var result = await _store.ApplyAsync("test", s => MutationOutcome.Changed(s.WithCluster(Cluster("d")), "ok"), false, CancellationToken.None);

        result.Status.Should().Be(ApplyStatus.Unavailable);
        result.Message.Should().Contain("disk full");
        _publisher.Published.Should().HaveCount(1);
        _store.Current.Version.Should().Be(1);
    }

    [Test]
    public async Task Apply_PublishFailsAfterPersisting_RollsTheFileBack()
    {
        _publisher.FailPublishWith = ["cache refused"];

        var result = await _store.ApplyAsync("test", s => MutationOutcome.Changed(s.WithCluster(Cluster("d")), "ok"), false, CancellationToken.None);

        result.Status.Should().Be(ApplyStatus.Failed);
        _persistence.Saved!.Version.Should().Be(1);
        _persistence.Saved.State.Clusters.Keys.Should().Equal("c");
        _store.Current.Version.Should().Be(1);
    }

    [Test]
    public async Task Apply_ValidateOnly_AnswersTheVersionItWasCheckedAgainstAndChangesNothing()
    {
        var result = await _store.ApplyAsync("test", s => MutationOutcome.Changed(s.WithCluster(Cluster("d")), "ok"), true, CancellationToken.None);

        result.Status.Should().Be(ApplyStatus.Validated);
        result.Version.Should().Be(1, "version 2 was never applied; the request was checked against version 1");
        result.Message.Should().Contain("checked against version 1");
        _publisher.DryRuns.Should().Be(1);
        AssertUnchanged();
    }

    [Test]
    public async Task Apply_SameContentInNewObjects_UnchangedWithTheCurrentVersionNothingPersistedOrPublished()
    {
        // Equal content, but every spec and array is a new object, as the API's request mappers build them.
        var result = await _store.ApplyAsync("test", s => MutationOutcome.Changed(s.WithCluster(Cluster("c")), "cluster 'c' updated"), false, CancellationToken.None);

        result.Status.Should().Be(ApplyStatus.Unchanged);
        result.Succeeded.Should().BeTrue();
        result.Version.Should().Be(1);
        _publisher.DryRuns.Should().Be(0);
        _persistence.Saves.Should().Be(1, "only the initial state was saved");
        AssertUnchanged();
    }

    [Test]
    public async Task Apply_SameContentDifferentValue_AppliesANewVersion()
    {
        var result = await _store.ApplyAsync("test", s => MutationOutcome.Changed(s.WithCluster(Cluster("c", port: 9090)), "ok"), false, CancellationToken.None);

        result.Status.Should().Be(ApplyStatus.Applied);
        result.Version.Should().Be(2);
    }

    [Test]
    public async Task Apply_SameContentButTheApiTakesOwnership_AppliesANewVersion()
    {
        // The file's cluster becomes the API's: a later Reload must keep it, so that is a change to persist.
        var result = await _store.ApplyAsync(
            "test", s => MutationOutcome.Changed(s.WithCluster(Cluster("c")), "ok", ResourceRef.Cluster("c")), false, CancellationToken.None);

        result.Status.Should().Be(ApplyStatus.Applied);
        _store.Current.Ownership.Clusters.Should().Equal("c");

        var again = await _store.ApplyAsync(
            "test", s => MutationOutcome.Changed(s.WithCluster(Cluster("c")), "ok", ResourceRef.Cluster("c")), false, CancellationToken.None);

        again.Status.Should().Be(ApplyStatus.Unchanged);
        again.Version.Should().Be(2);
    }

    [TestCase(MutationStatus.NotFound, ApplyStatus.NotFound)]
    [TestCase(MutationStatus.FailedPrecondition, ApplyStatus.FailedPrecondition)]
    [TestCase(MutationStatus.Invalid, ApplyStatus.Invalid)]
    public async Task Apply_MutationRefuses_MapsTheStatusAndNothingChanges(MutationStatus refusal, ApplyStatus expected)
    {
        var outcome = refusal switch
        {
            MutationStatus.NotFound => MutationOutcome.NotFound("no such route"),
            MutationStatus.FailedPrecondition => MutationOutcome.FailedPrecondition("in use"),
            _ => MutationOutcome.Invalid([new FieldViolation("route.name", "is required")]),
        };

        var result = await _store.ApplyAsync("test", _ => outcome, false, CancellationToken.None);

        result.Status.Should().Be(expected);
        result.Version.Should().Be(1);
        AssertUnchanged();
    }

    [Test]
    public async Task Reload_ApiOwnedResources_KeepTheApiVersion()
    {
        await _store.ApplyAsync("api", s => MutationOutcome.Changed(s.WithCluster(Cluster("c", 9999)), "ok", ResourceRef.Cluster("c")), false, CancellationToken.None);
        _standalone.Result = new StandaloneLoadResult(StandaloneLoadStatus.Loaded, Desired(Cluster("c", 1), Cluster("new")), [], "loaded");

        var result = await _store.ReloadAsync(CancellationToken.None);

        result.Status.Should().Be(ApplyStatus.Applied);
        result.Version.Should().Be(3);
        _store.Current.State.Clusters["c"].Endpoints.Single().Port.Should().Be(9999);
        _store.Current.State.Clusters.Keys.Should().BeEquivalentTo("c", "new");
    }

    [Test]
    public async Task Reload_NoFileConfigured_UnchangedAndNothingPublished()
    {
        _standalone.Result = new StandaloneLoadResult(StandaloneLoadStatus.NotConfigured, null, [], "none");

        var result = await _store.ReloadAsync(CancellationToken.None);

        result.Status.Should().Be(ApplyStatus.Unchanged);
        result.Version.Should().Be(1);
        AssertUnchanged();
    }

    [Test]
    public async Task Reload_FileAsLoaded_UnchangedAndNothingPublished()
    {
        var result = await _store.ReloadAsync(CancellationToken.None);

        result.Status.Should().Be(ApplyStatus.Unchanged);
        result.Version.Should().Be(1);
        AssertUnchanged();
    }

    [Test]
    public async Task Apply_Concurrent_SerialisesAndNumbersEveryMutation()
    {
        var tasks = Enumerable.Range(0, 64).Select(i => Task.Run(() =>
            _store.ApplyAsync("test", s => MutationOutcome.Changed(s.WithCluster(Cluster($"c{i}")), "ok"), false, CancellationToken.None)));

        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));

        results.Select(r => r.Version).Order().Should().Equal(Enumerable.Range(2, 64).Select(v => (long)v));
        _store.Current.State.Clusters.Should().HaveCount(65);
        _publisher.Published.Select(s => s.Version).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    private void AssertUnchanged()
    {
        _store.Current.Version.Should().Be(1);
        _store.Current.State.Clusters.Keys.Should().Equal("c");
        _persistence.Saved!.Version.Should().Be(1);
        _publisher.Published.Should().HaveCount(1);
    }
}
