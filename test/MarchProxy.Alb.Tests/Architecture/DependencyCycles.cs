namespace MarchProxy.Alb.Tests.Architecture;

/// <summary>Finds the cycles of a directed graph: one cycle per strongly connected component of two or more nodes.</summary>
public static class DependencyCycles
{
    /// <summary>Each cycle as its nodes in order, the first repeated at the end (A, B, A). Self-edges are not cycles.</summary>
    public static IReadOnlyList<IReadOnlyList<string>> Find(IReadOnlyDictionary<string, IReadOnlySet<string>> edges)
    {
        var cycles = new List<IReadOnlyList<string>>();
        foreach (var component in Components(edges).Where(c => c.Count > 1))
        {
            cycles.Add(CycleWithin(edges, component));
        }

        return cycles;
    }

    /// <summary>The node sets that hold a cycle (strongly connected components of two or more nodes).</summary>
    public static IReadOnlyList<IReadOnlySet<string>> Tangles(IReadOnlyDictionary<string, IReadOnlySet<string>> edges) =>
        [.. Components(edges).Where(c => c.Count > 1)];

    /// <summary>Tarjan's strongly connected components, iterative so a deep graph cannot overflow the stack.</summary>
    private static List<HashSet<string>> Components(IReadOnlyDictionary<string, IReadOnlySet<string>> edges)
    {
        var nodes = edges.Keys.Concat(edges.Values.SelectMany(v => v)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var onStack = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var result = new List<HashSet<string>>();
        var next = 0;
        foreach (var root in nodes.Where(n => !index.ContainsKey(n)))
        {
            var work = new Stack<(string Node, IEnumerator<string> Successors)>();
            Visit(root);
            while (work.Count > 0)
            {
                var (node, successors) = work.Peek();
                if (successors.MoveNext())
                {
                    var successor = successors.Current;
                    if (!index.TryGetValue(successor, out var successorIndex))
                    {
                        Visit(successor);
                    }
                    else if (onStack.Contains(successor))
                    {
                        low[node] = Math.Min(low[node], successorIndex);
                    }

                    continue;
                }

                work.Pop();
                if (work.Count > 0)
                {
                    var parent = work.Peek().Node;
                    low[parent] = Math.Min(low[parent], low[node]);
                }

                if (low[node] == index[node])
                {
                    var component = new HashSet<string>(StringComparer.Ordinal);
                    string member;
                    do
                    {
                        member = stack.Pop();
                        onStack.Remove(member);
                        component.Add(member);
                    }
                    while (member != node);
                    result.Add(component);
                }
            }

            void Visit(string node)
            {
                index[node] = low[node] = next++;
                stack.Push(node);
                onStack.Add(node);
                var successors = edges.TryGetValue(node, out var targets) ? targets.Order(StringComparer.Ordinal).ToList() : [];
                work.Push((node, successors.GetEnumerator()));
            }
        }

        return result;
    }

    /// <summary>A shortest way from the component's first node back to itself, staying inside the component.</summary>
    private static List<string> CycleWithin(IReadOnlyDictionary<string, IReadOnlySet<string>> edges, HashSet<string> component)
    {
        var start = component.Order(StringComparer.Ordinal).First();
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            foreach (var successor in edges.TryGetValue(node, out var targets) ? targets.Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
            {
                if (!component.Contains(successor))
                {
                    continue;
                }

                if (successor == start)
                {
                    var path = new List<string> { start };
                    for (var at = node; at != start; at = previous[at])
                    {
                        path.Add(at);
                    }

                    path.Add(start);
                    path.Reverse();
                    return path;
                }

                if (previous.TryAdd(successor, node))
                {
                    queue.Enqueue(successor);
                }
            }
        }

        throw new InvalidOperationException("A strongly connected component always holds a cycle through each of its nodes.");
    }
}
