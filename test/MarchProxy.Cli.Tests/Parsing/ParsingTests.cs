using MarchProxy.Cli.Parsing;

namespace MarchProxy.Cli.Tests.Parsing;

public sealed class ParsingTests
{
    [TestCase("30s", 30_000)]
    [TestCase("500ms", 500)]
    [TestCase("1m", 60_000)]
    [TestCase("2h", 7_200_000)]
    [TestCase("00:00:30", 30_000)]
    [TestCase("1.5", 1_500)]
    public void DurationText_DocumentedForms_Parse(string text, int milliseconds)
    {
        DurationText.TryParse(text, out var value).Should().BeTrue();
        value.Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    [TestCase("")]
    [TestCase("soon")]
    [TestCase("-5s")]
    public void DurationText_Garbage_DoesNotParse(string text) =>
        DurationText.TryParse(text, out _).Should().BeFalse();

    [Test]
    public void Endpoint_Forms_ParseHostPortAndWeight()
    {
        ArgumentParsers.Endpoint("10.0.0.5:8080").Should().Be(new Api.V1.Endpoint { Address = "10.0.0.5", Port = 8080 });
        ArgumentParsers.Endpoint("[fd00::5]:8080=2").Should().Be(new Api.V1.Endpoint { Address = "fd00::5", Port = 8080, Weight = 2 });
        ArgumentParsers.Endpoint("api.internal:443").Should().Be(new Api.V1.Endpoint { Address = "api.internal", Port = 443 });
    }

    [Test]
    public void WeightAndRate_Forms_Parse()
    {
        ArgumentParsers.Weight("green=10").Should().Be(new Api.V1.TrafficWeight { BackendName = "green", Weight = 10 });
        ArgumentParsers.Rate("1000/s").Should().Be(1000);
        ArgumentParsers.Rate("25").Should().Be(25);
        FluentActions.Invoking(() => ArgumentParsers.Weight("green")).Should().Throw<UsageException>();
        FluentActions.Invoking(() => ArgumentParsers.Rate("10/m")).Should().Throw<UsageException>();
    }
}
