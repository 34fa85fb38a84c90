using MarchProxy.Load.Ads;
using MarchProxy.Load.Machine;
using MarchProxy.Load.Reporting;
using MarchProxy.Load.Results;

namespace MarchProxy.Load.Tests;

[TestFixture]
public sealed class ReportTests
{
    [Test]
    public void From_Milliseconds_NearestRankPercentiles()
    {
        var summary = LatencySummary.From(Enumerable.Range(1, 100).Select(i => (double)i).Reverse());

        summary.Should().Be(new LatencySummary(100, 50, 99, 100));
        LatencySummary.From([]).Count.Should().Be(0);
    }

    [Test]
    public void Write_WithBaseline_SummaryHasBothColumnsAndGoals()
    {
        var run = Run(withBaseline: true);

        var markdown = MarkdownReport.Write(run, "plot.svg");

        markdown.Should().Contain("| measure | baseline | now | goal |");
        markdown.Should().Contain("| → last of 100 streams ACKed, p99 | 90.0 ms (p50 45.0 ms) | 30.0 ms (p50 15.0 ms) | ≤ 20 ms |");
        markdown.Should().Contain("![mutation → last ACK p99 against the number of streams](plot.svg)");
        markdown.Should().Contain("load average (1 min) | 3.00 at start");
    }

    [Test]
    public void Write_Plot_HasALinePerBuildAndTheGoals()
    {
        var svg = SvgPlot.Write(Run(withBaseline: true));

        svg.Should().StartWith("<svg");
        System.Text.RegularExpressions.Regex.Count(svg, "<polyline").Should().Be(2);
        svg.Should().Contain("now: 100 streams, 30 ms").And.Contain("baseline: 100 streams, 90 ms").And.Contain(">goal<");
    }

    [Test]
    public void IsComplete_MutationNotHeldByAll_IsFalseAndSaysWhich()
    {
        var run = Run(withBaseline: false, complete: 9);

        RunVerdict.IsComplete(run, out var reason).Should().BeFalse();
        reason.Should().Contain("propagation at 100 streams");
    }

    private static RunResults Run(bool withBaseline, int complete = 10)
    {
        var profile = Profile.ShortRun with { StreamCounts = [1, 100], Only = new HashSet<string>(StringComparer.Ordinal) { "propagation" } };
        HostResults Host(string label, double scale)
        {
            var host = new HostResults { Label = label, Directory = "/" + label };
            host.Propagation.Add(Result(1, 5 * scale, 10));
            host.Propagation.Add(Result(100, 15 * scale, complete));
            return host;
        }

        return new RunResults
        {
            Profile = "short",
            Settings = profile,
            Started = DateTimeOffset.UnixEpoch,
            Machine = new MachineInfo("cpu", 2, 1L << 30, "os", "kernel", ".NET", 1024, 4096),
            Load = new LoadSummary(2, 3, 3.5, 4, 3, 4),
            Now = Host("now", 1),
            Baseline = withBaseline ? Host("baseline", 3) : null,
        };
    }

    private static PropagationResult Result(int streams, double p50, int complete) =>
        new(streams, XdsProtocol.Sotw, true, 0.1, 10, complete, LatencySummary.Empty, LatencySummary.Empty, new LatencySummary(complete, p50, p50 * 2, p50 * 3), 0, 0, []);
}
