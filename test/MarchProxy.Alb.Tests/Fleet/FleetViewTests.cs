using Google.Protobuf;
using MarchProxy.Alb.Fleet;

namespace MarchProxy.Alb.Tests.Fleet;

/// <summary>
/// The members view takes a full read and watch events that race each other; whichever arrives
/// last, the newer revision of each member key wins.
/// </summary>
public sealed class FleetViewTests
{
    [Test]
    public void Reset_ReadOlderThanAWatchedPut_KeepsTheWatchedMember()
    {
        var view = new FleetView();
        view.Apply("alb-1", Member("alb-1"), modRevision: 3);

        // A read taken at revision 2, before alb-1 wrote its key, is applied after the watch event.
        view.Reset([("alb-2", Member("alb-2"), 2)], revision: 2);

        view.Members.Select(m => m.ModuleId).Should().Equal("alb-1", "alb-2");
    }

    [Test]
    public void Reset_ReadOlderThanAWatchedDelete_DoesNotBringTheMemberBack()
    {
        var view = new FleetView();
        view.Apply("alb-1", value: null, modRevision: 5);

        view.Reset([("alb-1", Member("alb-1"), 3)], revision: 4);

        view.Members.Should().BeEmpty();
    }

    [Test]
    public void Reset_NewerRead_RemovesAMemberItNoLongerHolds_AndAnOlderEventIsIgnored()
    {
        var view = new FleetView();
        view.Apply("alb-1", Member("alb-1"), modRevision: 3);

        view.Reset([("alb-2", Member("alb-2"), 6)], revision: 7);
        view.Apply("alb-1", Member("alb-1"), modRevision: 4);

        view.Members.Select(m => m.ModuleId).Should().Equal("alb-2");
    }

    [Test]
    public void Reset_NewerReadOfAKnownMember_TakesTheRead()
    {
        var view = new FleetView();
        view.Apply("alb-1", FleetView.Encode(new FleetMember { ModuleId = "alb-1", AppliedVersion = 2 }), modRevision: 3);

        view.Reset([("alb-1", FleetView.Encode(new FleetMember { ModuleId = "alb-1", AppliedVersion = 5 }), 6)], revision: 7);

        view.Members.Should().ContainSingle().Which.AppliedVersion.Should().Be(5);
    }

    private static ByteString Member(string moduleId) => FleetView.Encode(new FleetMember { ModuleId = moduleId });
}
