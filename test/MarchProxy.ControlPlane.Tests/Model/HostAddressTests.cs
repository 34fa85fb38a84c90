using MarchProxy.ControlPlane.Model;

namespace MarchProxy.ControlPlane.Tests.Model;

public sealed class HostAddressTests
{
    [TestCase("10.0.0.1", true)]
    [TestCase("255.255.255.255", true)]
    [TestCase("0.0.0.0", true)]
    [TestCase("::1", true)]
    [TestCase("fe80::1:2", true)]
    [TestCase("2001:db8::8a2e:370:7334", true)]
    [TestCase("10.1", false)]
    [TestCase("167772161", false)]
    [TestCase("256.0.0.1", false)]
    [TestCase("01.0.0.1", false)]
    [TestCase("1.2.3.4.5", false)]
    [TestCase("fe80::1%eth0", false)]
    [TestCase("backend.internal", false)]
    [TestCase("", false)]
    public void IsIpLiteral_Address_Classifies(string address, bool expected)
    {
        HostAddress.IsIpLiteral(address).Should().Be(expected);
    }

    [TestCase("backend", true)]
    [TestCase("backend.internal", true)]
    [TestCase("my-svc.ns.svc.cluster.local.", true)]
    [TestCase("a1", true)]
    [TestCase("-bad.example", false)]
    [TestCase("bad-.example", false)]
    [TestCase("two..dots", false)]
    [TestCase("has space", false)]
    [TestCase("under_score", false)]
    [TestCase("10.1", false)]
    [TestCase("10.0.0.1", false)]
    [TestCase("", false)]
    public void IsHostname_Address_Classifies(string address, bool expected)
    {
        HostAddress.IsHostname(address).Should().Be(expected);
    }
}
