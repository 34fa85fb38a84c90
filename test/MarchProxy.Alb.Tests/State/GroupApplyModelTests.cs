using System.Collections.Immutable;
using CsCheck;
using MarchProxy.Alb.State;
using MarchProxy.ControlPlane.Model;
using Microsoft.Extensions.Logging.Abstractions;
using static MarchProxy.Alb.Tests.State.StateBuilders;

namespace MarchProxy.Alb.Tests.State;

/// <summary>
/// Model-based test of group apply: a few concurrent callers, each sending its own random mutations
/// one after another (clusters k0..k2, routes r0..r2 to one of them; a route to a missing cluster and a
/// cluster still in use are refused), against a sequential model. A "hold" mutation (it changes
/// nothing) keeps the store's applier until every other caller has a mutation waiting, so those form
/// one group. Every answer names the version it
/// was decided on, so the run must read as one sequential history: applied mutations numbered
/// 2, 3, ... each valid on the state before it; every refusal and unchanged answer what the model
/// answers on the state of its version; each caller's mutations in its own order; every applied or
/// unchanged answer given only once its version was persisted; the final state the model's.
/// </summary>
public sealed class GroupApplyModelTests
{
    private static readonly Gen<Op> Ops = Gen.Select(Gen.Int[0, 4], Gen.Int[0, 2], Gen.Int[0, 2], Gen.Bool, (kind, a, b, yield) => new Op(kind, a, b, yield));

    private static readonly Gen<Scenario> Scenarios = Gen.Select(Gen.Int[2, 6], Ops.Array[1, 40], (callers, ops) => new Scenario(callers, ops));

    [Test]
    public Task Apply_ConcurrentCallers_AnswersFormOneSequentialHistoryOfTheModel() =>
        Scenarios.SampleAsync(RunAsync, iter: 150, print: s => s.ToString());

    private static async Task RunAsync(Scenario scenario)
    {
        using var persistence = new HeldPersistence();
        using var store = new ConfigStore(persistence, new FakeStatePublisher(), new ModelStateValidator(), FixedStandalone.Of(Desired(Cluster("k0"))), NullLogger<ConfigStore>.Instance);
        await store.InitializeAsync(CancellationToken.None);

        // Per caller: 1 while a mutation of it waits in the store or it has finished.
        var parked = new int[scenario.Callers];
        var callers = Enumerable.Range(0, scenario.Callers).Select(caller => Task.Run(async () =>
        {
            var answers = new List<Answer>();
            for (var i = caller; i < scenario.Ops.Length; i += scenario.Callers)
            {
                var op = scenario.Ops[i];
                if (op.Yield)
                {
                    await Task.Yield();
                }

                Func<DesiredState, MutationOutcome> mutate = op.Kind == Op.Hold ? s => HoldUntilOthersWait(parked, caller, s) : op.Mutate;
                Volatile.Write(ref parked[caller], 1);
                var result = await store.ApplyAsync("model", mutate, false, CancellationToken.None).DefaultTimeout();
                Volatile.Write(ref parked[caller], 0);
                answers.Add(new Answer(op, result, persistence.Saved?.Version ?? 0));
            }

            Volatile.Write(ref parked[caller], 1);
            return answers;
        })).ToList();
        var byCaller = await Task.WhenAll(callers).DefaultTimeout();

        var states = new Dictionary<long, Model> { [1] = Model.Initial };
        var applied = byCaller.SelectMany(a => a).Where(a => a.Result.Status == ApplyStatus.Applied).OrderBy(a => a.Result.Version).ToList();
        applied.Select(a => a.Result.Version).Should().Equal(Enumerable.Range(2, applied.Count).Select(v => (long)v), "applied mutations are numbered one by one");
        foreach (var answer in applied)
        {
            var (status, next) = states[answer.Result.Version - 1].Apply(answer.Op);
            status.Should().Be(ApplyStatus.Applied, $"{answer.Op} applied as version {answer.Result.Version}");
            Model.Of(answer.Result.State).Should().Be(next.ToString(), "the answer carries its version's state");
            states[answer.Result.Version] = next;
        }

        foreach (var answer in byCaller.SelectMany(a => a).Where(a => a.Result.Status != ApplyStatus.Applied))
        {
            states[answer.Result.Version].Apply(answer.Op).Status.Should().Be(answer.Result.Status, $"{answer.Op} decided on version {answer.Result.Version}");
        }

        foreach (var answers in byCaller)
        {
            for (var i = 1; i < answers.Count; i++)
            {
                answers[i].Base.Should().BeGreaterThanOrEqualTo(answers[i - 1].After, "a caller's next mutation is decided after its previous one");
            }
        }

        byCaller.SelectMany(a => a).Where(a => a.Result.Succeeded && a.PersistedAtAnswer < a.After).Should().BeEmpty("an answer is given only once its version is durable");
        var last = states.Keys.Max();
        store.Current.Version.Should().Be(last);
        Model.Of(store.Current.State).Should().Be(states[last].ToString());
        Model.Of(persistence.Saved!.State).Should().Be(states[last].ToString());
    }

    /// <summary>Keeps the applier until every other caller waits in the store (or is done), bounded by a deadline.</summary>
    private static MutationOutcome HoldUntilOthersWait(int[] parked, int caller, DesiredState state)
    {
        SpinWait.SpinUntil(
            () => Enumerable.Range(0, parked.Length).All(c => c == caller || Volatile.Read(ref parked[c]) == 1),
            TaskTimeoutExtensions.DefaultTimeoutSpan);
        return MutationOutcome.Changed(state, "held");
    }

    public sealed record Scenario(int Callers, Op[] Ops)
    {
        public override string ToString() => $"{Callers} callers: {string.Join(", ", Ops.Select(o => o.ToString()))}";
    }

    /// <summary>0: add cluster kA; 1: delete cluster kA; 2: route rA to cluster kB; 3: delete route rA; 4: hold.</summary>
    public sealed record Op(int Kind, int A, int B, bool Yield)
    {
        public const int Hold = 4;

        public MutationOutcome Mutate(DesiredState s) => Kind switch
        {
            0 => MutationOutcome.Changed(s.WithCluster(Cluster($"k{A}")), "added"),
            1 => s.Clusters.ContainsKey($"k{A}") ? MutationOutcome.Changed(s.WithoutCluster($"k{A}"), "deleted") : MutationOutcome.NotFound("no such cluster"),
            2 => MutationOutcome.Changed(s.WithRoute(Route($"r{A}", $"k{B}", $"/r{A}/")), "routed"),
            3 => s.Routes.ContainsKey($"r{A}") ? MutationOutcome.Changed(s.WithoutRoute($"r{A}"), "deleted") : MutationOutcome.NotFound("no such route"),
            _ => MutationOutcome.Changed(s, "held"),
        };

        public override string ToString() => Kind switch
        {
            0 => $"+k{A}",
            1 => $"-k{A}",
            2 => $"r{A}->k{B}",
            3 => $"-r{A}",
            _ => "hold",
        };
    }

    private sealed record Answer(Op Op, ApplyResult Result, long PersistedAtAnswer)
    {
        /// <summary>The version this answer was decided on.</summary>
        public long Base => Result.Status == ApplyStatus.Applied ? Result.Version - 1 : Result.Version;

        /// <summary>The version this answer leaves the caller at.</summary>
        public long After => Result.Version;
    }

    /// <summary>The sequential model: which clusters exist, and the cluster each route goes to. Compared by its text.</summary>
    private sealed record Model(ImmutableSortedSet<int> Clusters, ImmutableSortedDictionary<int, int> Routes)
    {
        public static Model Initial { get; } = new(ImmutableSortedSet.Create(0), ImmutableSortedDictionary<int, int>.Empty);

        public static string Of(DesiredState state) =>
            $"{string.Join(",", state.Clusters.Keys)} | {string.Join(",", state.Routes.Values.Select(r => $"{r.Name}->{r.Cluster}"))}";

        public (ApplyStatus Status, Model Next) Apply(Op op) => op.Kind switch
        {
            0 => Clusters.Contains(op.A) ? (ApplyStatus.Unchanged, this) : (ApplyStatus.Applied, this with { Clusters = Clusters.Add(op.A) }),
            1 when !Clusters.Contains(op.A) => (ApplyStatus.NotFound, this),
            1 => Routes.ContainsValue(op.A) ? (ApplyStatus.Invalid, this) : (ApplyStatus.Applied, this with { Clusters = Clusters.Remove(op.A) }),
            2 when Routes.TryGetValue(op.A, out var to) && to == op.B => (ApplyStatus.Unchanged, this),
            2 => Clusters.Contains(op.B) ? (ApplyStatus.Applied, this with { Routes = Routes.SetItem(op.A, op.B) }) : (ApplyStatus.Invalid, this),
            3 => Routes.ContainsKey(op.A) ? (ApplyStatus.Applied, this with { Routes = Routes.Remove(op.A) }) : (ApplyStatus.NotFound, this),
            _ => (ApplyStatus.Unchanged, this),
        };

        public override string ToString() =>
            $"{string.Join(",", Clusters.Select(c => $"k{c}"))} | {string.Join(",", Routes.Select(r => $"r{r.Key}->k{r.Value}"))}";
    }
}
