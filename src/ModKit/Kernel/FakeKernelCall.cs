namespace ModKit.Kernel;

/// <summary>One system call a <see cref="FakeKernel"/> received, recorded for tests to assert on (kmod's testsuite cannot).</summary>
/// <param name="Operation"><c>finit_module</c>, <c>init_module</c> or <c>delete_module</c>.</param>
/// <param name="Name">The module name (from the image's <c>.gnu.linkonce.this_module</c>, or as given to <c>delete_module</c>); empty when the image had none.</param>
/// <param name="Parameters">The parameter string (empty for <c>delete_module</c>).</param>
/// <param name="Flags">The flags: <see cref="ModuleLoadFlags"/> or <see cref="ModuleUnloadFlags"/> as a number.</param>
/// <param name="Image">The bytes the kernel was handed (the file's, for <c>finit_module</c>); empty for <c>delete_module</c>.</param>
/// <param name="Errno">The answer: 0 for success.</param>
public sealed record FakeKernelCall(string Operation, string Name, string Parameters, int Flags, byte[] Image, int Errno);
