namespace ModKit;

/// <summary>A module parameter as modinfo shows it.</summary>
/// <param name="Name">The parameter's name.</param>
/// <param name="Type">Its type (<c>int</c>, <c>charp</c>, <c>bool</c>...), or null when the module gives none.</param>
/// <param name="Description">Its description, or null when the module gives none.</param>
public sealed record ModuleParameter(string Name, string? Type, string? Description);
