namespace MarchProxy.Config.Tests;

public sealed class DurationParserTests
{
    [TestCase("30s", 30_000)]
    [TestCase("500ms", 500)]
    [TestCase("1m", 60_000)]
    [TestCase("2h", 7_200_000)]
    [TestCase("1.5", 1_500)]
    [TestCase("45", 45_000)]
    [TestCase("00:00:30", 30_000)]
    [TestCase(" 10S ", 10_000)]
    public void TryParse_KnownForms_ParsesTheDuration(string text, int milliseconds)
    {
        DurationParser.TryParse(text, out var value).Should().BeTrue();
        value.Should().Be(TimeSpan.FromMilliseconds(milliseconds));
    }

    [TestCase("")]
    [TestCase("soon")]
    [TestCase("-1s")]
    [TestCase("10x")]
    [TestCase("-00:00:01")]
    [TestCase("NaN")]
    public void TryParse_Garbage_Fails(string text)
    {
        DurationParser.TryParse(text, out _).Should().BeFalse();
    }
}
