namespace MarchProxy.ControlPlane.Re2;

/// <summary>
/// RE2's program size: after its peephole pass (no-ops skipped, any-byte loops before a match marked),
/// RE2 flattens the graph into lists, one per "root" (every instruction reached after consuming input,
/// plus the instructions that only some paths reach), and the size is the number of instructions in
/// all lists. That is the number Envoy compares with <c>re2.max_program_size.error_level</c>.
/// </summary>
internal static class Re2Program
{
    public static int Size(Re2Compiler compiler)
    {
        var inst = compiler.Instructions;
        var start = compiler.Start;
        var startUnanchored = compiler.StartUnanchored;
        Optimize(inst, start);

        var roots = new List<uint> { 0 };
        var isRoot = new HashSet<uint> { 0 };
        void AddRoot(uint id)
        {
            if (isRoot.Add(id))
            {
                roots.Add(id);
            }
        }

        AddRoot(startUnanchored);
        AddRoot(start);
        var predecessors = MarkSuccessors(inst, startUnanchored, AddRoot);

        var sorted = roots.Order().ToList();
        for (var i = sorted.Count - 1; i > 0; i--)
        {
            if (sorted[i] != startUnanchored && sorted[i] != start)
            {
                MarkDominator(inst, sorted[i], isRoot, predecessors, AddRoot);
            }
        }

        var size = 0;
        foreach (var root in roots)
        {
            size += ListLength(inst, root, isRoot);
        }

        return size;
    }

    private static void Optimize(Re2Inst[] inst, uint start)
    {
        var queue = new List<uint>();
        var queued = new HashSet<uint>();
        void Enqueue(uint id)
        {
            if (id != 0 && queued.Add(id))
            {
                queue.Add(id);
            }
        }

        Enqueue(start);
        for (var i = 0; i < queue.Count; i++)
        {
            ref var ip = ref inst[queue[i]];
            ip.Out = SkipNops(inst, ip.Out);
            Enqueue(ip.Out);
            if (ip.Op == Re2InstOp.Alt)
            {
                ip.Out1 = SkipNops(inst, ip.Out1);
                Enqueue(ip.Out1);
            }
        }

        queue.Clear();
        queued.Clear();
        Enqueue(start);
        for (var i = 0; i < queue.Count; i++)
        {
            var id = queue[i];
            ref var ip = ref inst[id];
            Enqueue(ip.Out);
            if (ip.Op != Re2InstOp.Alt)
            {
                continue;
            }

            Enqueue(ip.Out1);
            var j = inst[ip.Out];
            var k = inst[ip.Out1];
            if ((IsAnyByteLoop(j, id) && IsMatch(inst, k)) || (IsMatch(inst, j) && IsAnyByteLoop(k, id)))
            {
                ip.Op = Re2InstOp.AltMatch;
            }
        }
    }

    private static uint SkipNops(Re2Inst[] inst, uint j)
    {
        while (j != 0 && inst[j].Op == Re2InstOp.Nop)
        {
            j = inst[j].Out;
        }

        return j;
    }

    private static bool IsAnyByteLoop(Re2Inst ip, uint alt) =>
        ip.Op == Re2InstOp.ByteRange && ip.Out == alt && ip.Lo == 0x00 && ip.Hi == 0xFF;

    private static bool IsMatch(Re2Inst[] inst, Re2Inst ip)
    {
        while (ip.Op is Re2InstOp.Capture or Re2InstOp.Nop)
        {
            ip = inst[ip.Out];
        }

        return ip.Op == Re2InstOp.Match;
    }

    /// <summary>Marks what follows every consuming instruction as a root; returns each Alt target's predecessors.</summary>
    private static Dictionary<uint, List<uint>> MarkSuccessors(Re2Inst[] inst, uint startUnanchored, Action<uint> addRoot)
    {
        var predecessors = new Dictionary<uint, List<uint>>();
        var reachable = new HashSet<uint>();
        var stack = new Stack<uint>();
        stack.Push(startUnanchored);
        while (stack.TryPop(out var id))
        {
            while (reachable.Add(id))
            {
                var ip = inst[id];
                if (ip.Op is Re2InstOp.Alt or Re2InstOp.AltMatch)
                {
                    foreach (var target in (ReadOnlySpan<uint>)[ip.Out, ip.Out1])
                    {
                        if (!predecessors.TryGetValue(target, out var list))
                        {
                            predecessors[target] = list = [];
                        }

                        list.Add(id);
                    }

                    stack.Push(ip.Out1);
                    id = ip.Out;
                }
                else if (ip.Op is Re2InstOp.ByteRange or Re2InstOp.Capture or Re2InstOp.EmptyWidth)
                {
                    addRoot(ip.Out);
                    id = ip.Out;
                }
                else if (ip.Op == Re2InstOp.Nop)
                {
                    id = ip.Out;
                }
                else
                {
                    break;
                }
            }
        }

        return predecessors;
    }

    /// <summary>An instruction reached from <paramref name="root"/> that also has a predecessor outside it becomes a root.</summary>
    private static void MarkDominator(Re2Inst[] inst, uint root, HashSet<uint> isRoot, Dictionary<uint, List<uint>> predecessors, Action<uint> addRoot)
    {
        var reachable = Flood(inst, root, isRoot, null);
        foreach (var id in reachable)
        {
            if (predecessors.TryGetValue(id, out var list) && list.Any(p => !reachable.Contains(p)))
            {
                addRoot(id);
            }
        }
    }

    private static int ListLength(Re2Inst[] inst, uint root, HashSet<uint> isRoot)
    {
        var length = 0;
        Flood(inst, root, isRoot, () => length++);
        return length;
    }

    /// <summary>
    /// Everything reachable from <paramref name="root"/> without consuming input or entering another root.
    /// <paramref name="emit"/> is called once for each instruction written to the root's list: the
    /// consuming and final instructions, one per AltMatch, and a Nop for each other root reached.
    /// </summary>
    private static HashSet<uint> Flood(Re2Inst[] inst, uint root, HashSet<uint> isRoot, Action? emit)
    {
        var reachable = new HashSet<uint>();
        var stack = new Stack<uint>();
        stack.Push(root);
        while (stack.TryPop(out var id))
        {
            while (reachable.Add(id))
            {
                if (id != root && isRoot.Contains(id))
                {
                    emit?.Invoke();
                    break;
                }

                var ip = inst[id];
                if (ip.Op is Re2InstOp.Alt or Re2InstOp.AltMatch)
                {
                    if (ip.Op == Re2InstOp.AltMatch)
                    {
                        emit?.Invoke();
                    }

                    stack.Push(ip.Out1);
                    id = ip.Out;
                }
                else if (ip.Op == Re2InstOp.Nop)
                {
                    id = ip.Out;
                }
                else
                {
                    emit?.Invoke();
                    break;
                }
            }
        }

        return reachable;
    }
}
