using MarchProxy.Supervisor.Envoy;
using Microsoft.Extensions.Logging;

namespace MarchProxy.Supervisor.Tests.Envoy;

[TestFixture]
public sealed class EnvoyOutputLogTests
{
    [TestCase("trace", LogLevel.Trace)]
    [TestCase("debug", LogLevel.Debug)]
    [TestCase("info", LogLevel.Information)]
    [TestCase("warning", LogLevel.Warning)]
    [TestCase("error", LogLevel.Error)]
    [TestCase("critical", LogLevel.Critical)]
    public void LevelOf_EnvoyLine_MapsEnvoysLevel(string envoyLevel, LogLevel expected)
    {
        var line = $"[2026-01-01 00:00:00.000][42][{envoyLevel}][config] [source/common/config/grpc_stream.h:101] text";

        EnvoyOutputLog.LevelOf(line).Should().Be(expected);
    }

    [Test]
    public void LevelOf_LineWithoutEnvoysPrefix_Information()
    {
        EnvoyOutputLog.LevelOf("configuration '/data/envoy-bootstrap.json' OK").Should().Be(LogLevel.Information);
    }
}
