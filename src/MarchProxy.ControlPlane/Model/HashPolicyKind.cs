namespace MarchProxy.ControlPlane.Model;

public enum HashPolicyKind
{
    Header = 0,
    Cookie = 1,
    SourceIp = 2,
}
