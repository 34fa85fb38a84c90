using System.Diagnostics;
using MarchProxy.Alb.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace MarchProxy.Alb.Tests.Configuration;

public sealed class HostInfoTests
{
    [Test]
    public void Uptime_CreatedLate_CountsFromTheProcessStart()
    {
        // The clock has run an hour since this process started; HostInfo is created only now (as it is
        // on the first /healthz or GetStatus call).
        using var process = Process.GetCurrentProcess();
        var time = new FakeTimeProvider(new DateTimeOffset(process.StartTime).ToUniversalTime());
        time.Advance(TimeSpan.FromHours(1));

        var host = new HostInfo(time);

        host.Uptime.Should().BeGreaterThanOrEqualTo(TimeSpan.FromHours(1));
        host.StartedAt.Should().Be(new DateTimeOffset(process.StartTime).ToUniversalTime());
    }

    [Test]
    public void Uptime_ClockBeforeTheStart_IsZeroNotNegative()
    {
        var start = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start - TimeSpan.FromMinutes(1));

        new HostInfo(time, start).Uptime.Should().Be(TimeSpan.Zero);
    }

    [Test]
    public void Uptime_TimePasses_GrowsWithTheClock()
    {
        var start = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);
        var host = new HostInfo(time, start);

        time.Advance(TimeSpan.FromSeconds(90));

        host.Uptime.Should().Be(TimeSpan.FromSeconds(90));
    }
}
