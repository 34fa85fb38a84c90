using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Model;

namespace MarchProxy.Alb.Tests.State;

public sealed class ModelStateValidatorTests
{
    private static readonly DesiredState Valid = DesiredState.Empty
        .WithCluster(new ClusterSpec { Name = "web", Endpoints = [new EndpointSpec("10.0.0.1", 80)] })
        .WithRoute(new RouteSpec { Name = "api", Cluster = "web" });

    [Test]
    public void Validate_ModelErrors_ReturnsThemWithoutADryRun()
    {
        var publisher = new EnvoyRulesPublisher([]);
        var validator = new ModelStateValidator(publisher);

        var violations = validator.Validate(Valid.WithRoute(new RouteSpec { Name = "bad", Cluster = "ghost" }));

        violations.Should().ContainSingle().Which.Field.Should().Be("routes[bad].cluster");
        publisher.DryRuns.Should().Be(0, "a state the model refuses is not translated");
    }

    [Test]
    public void Validate_EnvoyRefusesTheTranslation_ReturnsItsViolationsByModelField()
    {
        var validator = new ModelStateValidator(new EnvoyRulesPublisher([new FieldViolation("routes[api].match.regex", "Envoy would reject it: …")]));

        validator.Validate(Valid).Should().ContainSingle().Which.Field.Should().Be("routes[api].match.regex");
    }

    [Test]
    public void Validate_ManyProblems_ReturnsTheFirstTwentyAndCountsTheRest()
    {
        var state = Valid;
        foreach (var i in Enumerable.Range(0, 30))
        {
            state = state.WithRoute(new RouteSpec { Name = $"r{i}", Cluster = "ghost" });
        }

        var violations = new ModelStateValidator().Validate(state);

        violations.Should().HaveCount(ModelStateValidator.MaxReported + 1);
        violations[^1].Description.Should().Be("10 more problems not listed");
    }

    private sealed class EnvoyRulesPublisher(IReadOnlyList<FieldViolation> violations) : IStatePublisher
    {
        public int DryRuns { get; private set; }

        public PublishOutcome DryRun(DesiredState state)
        {
            DryRuns++;
            return violations.Count == 0 ? PublishOutcome.Ok : PublishOutcome.Fail(["rejected"], violations);
        }

        public PublishOutcome Publish(DesiredState state) => throw new InvalidOperationException("the validator never publishes");
    }
}
