namespace ModKit.Tests;

public class ErrnoTests
{
    [Theory]
    [InlineData(Errno.ENOENT, "No such file or directory")]
    [InlineData(Errno.ENOEXEC, "Exec format error")]
    [InlineData(Errno.EINVAL, "Invalid argument")]
    public void DescribesLikeGlibc(int errno, string text) => Assert.Equal(text, Errno.Describe(errno));
}
