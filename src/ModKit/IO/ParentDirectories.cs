namespace ModKit.IO;

/// <summary>
/// Creates the folders above a file that is about to be written, as kmod's <c>mkdir_parents</c>
/// (<c>shared/util.c</c>) does for <c>kmod static-nodes --output</c>.
/// </summary>
public static class ParentDirectories
{
    /// <summary>
    /// Makes every missing folder of <paramref name="path"/> up to its last <c>/</c>: the deepest folder that
    /// exists is found by stepping up one component at a time, then the ones below it are made in order.
    /// </summary>
    /// <param name="path">The file's path; a path without <c>/</c> has no folders to make.</param>
    /// <param name="mode">The new folders' permission bits (the umask applies).</param>
    /// <param name="errno">
    /// On failure, the error number kmod reports: <c>mkdir</c>'s, or, when a component exists but is no folder,
    /// that of the last <c>stat</c> that failed on the way up (0, "Success", when none did: kmod returns
    /// <c>-ENOTDIR</c> but prints the <c>errno</c> left behind).
    /// </param>
    /// <returns>Whether the folders are all there now.</returns>
    public static bool TryCreate(string path, int mode, out int errno)
    {
        errno = 0;
        int length = path.LastIndexOf('/');
        if (length <= 0)
        {
            return true;
        }

        // The prefixes to look at, deepest first: each ends before the run of slashes that ends the one above.
        var ends = new List<int> { length };
        for (int end = PreviousComponentEnd(path, length); end > 0; end = PreviousComponentEnd(path, end))
        {
            ends.Add(end);
        }

        int missing = ends.Count;
        for (int i = 0; i < ends.Count; i++)
        {
            int error = NativeFile.IsDirectory(path[..ends[i]], out bool isDirectory);
            if (error == 0)
            {
                if (!isDirectory)
                {
                    return false;
                }

                missing = i;
                break;
            }

            // Any failure (not only ENOENT) counts as "not there yet": mkdir tells the real story.
            errno = error;
        }

        for (int i = missing - 1; i >= 0; i--)
        {
            int error = NativeFile.MakeDirectory(path[..ends[i]], mode);
            if (error != 0 && error != Errno.EEXIST)
            {
                errno = error;
                return false;
            }
        }

        errno = 0;
        return true;
    }

    // Where the prefix one component up ends: at the start of the run of slashes before the last component
    // of path[..end], or 0 when there is none (the root, or the first component of a relative path).
    private static int PreviousComponentEnd(string path, int end)
    {
        int slash = path.LastIndexOf('/', end - 1);
        if (slash <= 0)
        {
            return 0;
        }

        while (slash > 0 && path[slash - 1] == '/')
        {
            slash--;
        }

        return slash;
    }
}
