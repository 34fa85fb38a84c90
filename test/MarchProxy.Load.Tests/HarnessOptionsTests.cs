using MarchProxy.Load.Ads;

namespace MarchProxy.Load.Tests;

[TestFixture]
public sealed class HarnessOptionsTests
{
    [Test]
    public void Parse_NoArguments_ShortProfileOnArtifactsPublish()
    {
        var options = HarnessOptions.Parse([]);

        options.Profile.Should().Be(Profile.ShortRun);
        options.HostDirectory.Should().Be(Path.Combine("artifacts", "publish"));
        options.BaselineDirectory.Should().BeNull();
        options.OutputDirectory.Should().Be(Path.Combine("artifacts", "load"));
    }

    [Test]
    public void Parse_FullProfileWithOverrides_AppliesEachOverride()
    {
        var options = HarnessOptions.Parse(
        [
            "--profile", "full", "--host", "/a", "--baseline-host", "/b", "--out", "/o", "--protocol", "delta",
            "--streams", "1,10", "--mutations", "7", "--memory-streams", "11", "--memory-settle", "30", "--storm-streams", "12",
            "--api-callers", "3", "--wire-routes", "500", "--only", "propagation,wire", "--host-env", "A=b=c",
        ]);

        options.HostDirectory.Should().Be("/a");
        options.BaselineDirectory.Should().Be("/b");
        options.OutputDirectory.Should().Be("/o");
        options.HostEnvironment.Should().Equal(new Dictionary<string, string> { ["A"] = "b=c" });
        var p = options.Profile;
        p.Name.Should().Be("full");
        p.Protocol.Should().Be(XdsProtocol.Delta);
        p.StreamCounts.Should().Equal(1, 10);
        p.Mutations.Should().Be(7);
        p.MutationsLarge.Should().Be(7);
        p.MemoryStreams.Should().Be(11);
        p.MemorySettle.Should().Be(TimeSpan.FromSeconds(30));
        p.StormStreams.Should().Be(12);
        p.ApiCallers.Should().Be(3);
        p.WireRoutes.Should().Be(500);
        p.WireClusters.Should().Be(50);
        p.Runs("wire").Should().BeTrue();
        p.Runs("memory").Should().BeFalse();
    }

    [TestCase("--profile", "long", "--profile")]
    [TestCase("--protocol", "grpc", "--protocol")]
    [TestCase("--streams", "1,0", "--streams")]
    [TestCase("--mutations", "x", "--mutations")]
    [TestCase("--memory-settle", "0", "--memory-settle")]
    [TestCase("--only", "propagation,nope", "nope")]
    [TestCase("--host-env", "NOEQUALS", "--host-env")]
    [TestCase("--colour", "red", "--colour")]
    public void Parse_BadArgument_ThrowsNamingIt(string name, string value, string named)
    {
        var act = () => HarnessOptions.Parse([name, value]);

        act.Should().Throw<ArgumentException>().WithMessage($"*{named}*");
    }

    [Test]
    public void Parse_NameWithoutValue_Throws()
    {
        var act = () => HarnessOptions.Parse(["--profile"]);

        act.Should().Throw<ArgumentException>().WithMessage("*--profile*");
    }

    [Test]
    public void MaxStreams_FullProfile_IsTheLargestFleet()
    {
        Profile.FullRun.MaxStreams.Should().Be(5000);
        Profile.FullRun.MutationsAt(5000).Should().Be(Profile.FullRun.MutationsLarge);
        Profile.FullRun.MutationsAt(100).Should().Be(Profile.FullRun.Mutations);
    }
}
