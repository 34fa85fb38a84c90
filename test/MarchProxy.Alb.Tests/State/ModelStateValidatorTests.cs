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
        var publisher = new FakeStatePublisher();
        var validator = new ModelStateValidator(publisher);

        var violations = validator.Validate(Valid.WithRoute(new RouteSpec { Name = "bad", Cluster = "ghost" }));

        violations.Should().ContainSingle().Which.Field.Should().Be("routes[bad].cluster");
        publisher.DryRuns.Should().Be(0, "a state the model refuses is not translated");
    }

    [Test]
    public void Validate_EnvoyRefusesTheTranslation_ReturnsItsViolationsByModelField()
    {
        var publisher = new FakeStatePublisher
        {
            FailDryRunWith = ["rejected"],
            DryRunViolations = [new ValidationError("routes[api].match.regex", "Envoy would reject it: …")],
        };
        var validator = new ModelStateValidator(publisher);

        validator.Validate(Valid).Should().ContainSingle().Which.Field.Should().Be("routes[api].match.regex");
        publisher.Published.Should().BeEmpty("the validator never publishes");
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
}
