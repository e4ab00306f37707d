namespace ModKit.Index;

/// <summary>Where <see cref="IndexWriter"/> places the trie's nodes in the file (docs/index-format.md §7).</summary>
/// <remarks>Readers of every kmod version follow pointers and accept both; the files have the same size.</remarks>
public enum IndexLayout
{
    /// <summary>Children before their parent, the root last, as kmod ≤ 33 (including kmod 30) writes.</summary>
    PostOrder = 0,

    /// <summary>The root first, each node followed by its subtrees, as kmod ≥ 34 writes.</summary>
    PreOrder = 1,
}
