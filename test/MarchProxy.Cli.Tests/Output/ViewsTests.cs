using MarchProxy.Api.V1;
using MarchProxy.Cli.Output;

namespace MarchProxy.Cli.Tests.Output;

public sealed class ViewsTests
{
    [Test]
    public void HashKey_EachKind_NamesTheKeyAndTerminal()
    {
        Views.HashKey(new HashPolicy { Header = "x-user-id" }).Should().Be("header x-user-id");
        Views.HashKey(new HashPolicy { Cookie = "sid", Terminal = true }).Should().Be("cookie sid (terminal)");
        Views.HashKey(new HashPolicy { SourceIp = true }).Should().Be("source IP");
    }
}
