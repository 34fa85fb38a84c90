using MarchProxy.Supervisor.Envoy;

namespace MarchProxy.Supervisor.Tests.Envoy;

[TestFixture]
public sealed class StatusBoardTests
{
    [Test]
    public void Update_Change_FiresTheTokenHandedOutBefore()
    {
        using var board = new StatusBoard();
        var token = board.GetChangeToken();

        board.Update(s => s with { State = EnvoyState.Live });

        token.HasChanged.Should().BeTrue();
        board.Current.State.Should().Be(EnvoyState.Live);
        board.GetChangeToken().HasChanged.Should().BeFalse();
    }

    [Test]
    public void Update_NoChange_TokenStaysQuiet()
    {
        using var board = new StatusBoard();
        var token = board.GetChangeToken();

        board.Update(s => s);

        token.HasChanged.Should().BeFalse();
    }
}
