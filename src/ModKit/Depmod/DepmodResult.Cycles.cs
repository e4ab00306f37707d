namespace ModKit.Depmod;

public sealed partial class DepmodResult
{
    /// <summary>
    /// Finds the dependency cycles among <see cref="ModulesInCycles"/> the way kmod reports them
    /// (<c>depmod_report_cycles</c>): from each remaining module in module order, a depth-first walk over the
    /// dependencies; every path that comes back to its start is a cycle, and the modules of a reported cycle are
    /// not used as starts again.
    /// </summary>
    /// <returns>Each cycle as the path from its first module back to it (<c>a, b, a</c>), and how many modules
    /// are in a reported cycle (kmod's "Found N modules in dependency cycles!").</returns>
    public (IReadOnlyList<IReadOnlyList<DepmodModule>> Cycles, int ModuleCount) FindCycles()
    {
        var cycles = new List<IReadOnlyList<DepmodModule>>();
        var inLoops = new HashSet<DepmodModule>();
        var visited = new HashSet<DepmodModule>();
        var roots = new List<DepmodModule>(ModulesInCycles);
        while (roots.Count > 0)
        {
            var root = roots[0];
            roots.RemoveAt(0);
            var stack = new Stack<Vertex>();
            stack.Push(new Vertex(root, null));
            while (stack.Count > 0)
            {
                var vertex = stack.Pop();
                var module = vertex.Module;
                if (module == root && visited.Contains(module))
                {
                    var path = new List<DepmodModule>();
                    for (var v = vertex.Parent; v is not null; v = v.Parent)
                    {
                        path.Add(v.Module);
                        inLoops.Add(v.Module);
                        roots.Remove(v.Module);
                    }

                    path.Reverse();
                    path.Add(module);
                    cycles.Add(path);
                    continue;
                }

                // kmod would walk a cycle that does not pass through the start forever; stop there instead.
                if (vertex.Parent is not null && module != root && vertex.Parent.HasAncestor(module))
                    continue;

                visited.Add(module);
                if (module.DirectDependencies.Count == 0)
                {
                    roots.Remove(module);
                    continue;
                }

                foreach (var dependency in module.DirectDependencies)
                    stack.Push(new Vertex(dependency, vertex));
            }
        }

        return (cycles, inLoops.Count);
    }

    private sealed record Vertex(DepmodModule Module, Vertex? Parent)
    {
        public bool HasAncestor(DepmodModule module)
        {
            for (var v = this; v is not null; v = v.Parent)
            {
                if (v.Module == module)
                    return true;
            }

            return false;
        }
    }
}
