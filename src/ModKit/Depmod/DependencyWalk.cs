namespace ModKit.Depmod;

/// <summary>
/// Finds every module a module needs, directly or not, users before what they use (kmod
/// <c>mod_get_all_sorted_dependencies</c>), reusing its marks and lists from one module to the next.
/// </summary>
/// <param name="moduleCount">How many modules the run has (their <see cref="DepmodModule.Index"/> is below it).</param>
internal sealed class DependencyWalk(int moduleCount)
{
    // A module was reached in the current walk when its mark is the walk's number.
    private readonly int[] _marks = new int[moduleCount];
    private readonly Stack<DepmodModule> _pending = new();
    private readonly List<DepmodModule> _found = [];
    private int _walk;

    /// <summary>The module's dependencies in dependency order; the list is reused by the next call.</summary>
    public List<DepmodModule> All(DepmodModule module)
    {
        _walk++;
        _found.Clear();
        foreach (var dependency in module.DirectDependencies)
            _pending.Push(dependency);
        while (_pending.Count > 0)
        {
            var next = _pending.Pop();
            if (_marks[next.Index] == _walk)
                continue;
            _marks[next.Index] = _walk;
            _found.Add(next);
            foreach (var dependency in next.DirectDependencies)
                _pending.Push(dependency);
        }

        _found.Sort(static (a, b) => a.DependencyOrder.CompareTo(b.DependencyOrder));
        return _found;
    }
}
