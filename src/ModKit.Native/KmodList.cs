using System.Runtime.InteropServices;

namespace ModKit.Native;

/// <summary>
/// libkmod's <c>struct kmod_list</c>: a circular doubly-linked list whose first node is the list
/// itself, each node holding one pointer of data. The layout is kmod's own, so the list functions
/// (<c>kmod_list_next</c>, <c>prev</c>, <c>last</c>) are plain pointer walks (in shim.c).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct KmodList
{
    public KmodList* Next;
    public KmodList* Prev;
    public nint Data;

    /// <summary>Appends a node for <paramref name="data"/> to <paramref name="list"/> (NULL for an empty list); returns the list.</summary>
    public static KmodList* Append(KmodList* list, nint data)
    {
        var node = (KmodList*)NativeMemory.Alloc((nuint)sizeof(KmodList));
        node->Data = data;
        if (list is null)
        {
            node->Next = node;
            node->Prev = node;
            return node;
        }

        node->Next = list;
        node->Prev = list->Prev;
        list->Prev->Next = node;
        list->Prev = node;
        return list;
    }

    /// <summary>Removes the first node and returns the rest of the list (NULL when it was the only one).</summary>
    public static KmodList* RemoveFirst(KmodList* list)
    {
        if (list is null)
        {
            return null;
        }

        KmodList* rest = list->Next == list ? null : list->Next;
        if (rest is not null)
        {
            rest->Prev = list->Prev;
            list->Prev->Next = rest;
        }

        NativeMemory.Free(list);
        return rest;
    }
}
