namespace ModKit.Cli;

/// <summary>
/// What <c>-V</c> prints: the profile's kmod version and feature line (<see cref="KmodProfile.Features"/>).
/// </summary>
internal static class ToolVersion
{
    public static string Text(KmodProfile profile) => $"kmod version {profile.Version}\n{profile.Features}\n";

    public static string ModKitVersion =>
        typeof(ToolVersion).Assembly.GetName().Version?.ToString(3) ?? "0.1.0";
}
