using System.Collections;
using System.Globalization;
using System.Text;
using NUnit.Framework;

namespace IclAssertions.Snapshots;

/// <summary>
/// Finds where the current test's snapshot lives: the folder of the test's source file (from [CallerFilePath]) and
/// `{Class}.{Method}[_{arg}_{arg}...]` from NUnit's TestContext, so TestCase/TestCaseSource cases get one file each.
/// </summary>
public static class SnapshotName
{
    public static SnapshotPaths ForCurrentTest(string callerFilePath, string? folderOverride = null, string? nameOverride = null)
    {
        var test = TestContext.CurrentContext.Test;
        if (string.IsNullOrEmpty(test.MethodName) || string.IsNullOrEmpty(test.ClassName))
            throw new InvalidOperationException(
                $"An approved snapshot needs a running NUnit test method to name its file; the current context is '{test.FullName}'. " +
                "Call it from inside a [Test], or give the snapshot a name with .Named(...).");
        string className = test.ClassName[(test.ClassName.LastIndexOf('.') + 1)..];
        string baseName = nameOverride ?? $"{className}.{test.MethodName}{ParameterSuffix(test.Arguments)}";

        string? folder = folderOverride ?? (string.IsNullOrEmpty(callerFilePath) ? null : Path.GetDirectoryName(callerFilePath));
        if (folder is null || !Directory.Exists(folder))
            throw new InvalidOperationException(
                $"The test source folder '{folder}' (from [CallerFilePath] '{callerFilePath}') does not exist on this machine, " +
                "so the snapshot has nowhere to live. Run the tests from the checkout they were built in, or pass a folder with .InFolder(...).");
        return new SnapshotPaths(folder, Sanitize(baseName));
    }

    public static string ParameterSuffix(object?[] arguments) =>
        arguments.Length == 0 ? "" : "_" + string.Join("_", arguments.Select(FormatArgument));

    static string FormatArgument(object? value) => value switch
    {
        null => "null",
        string s => s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable e => string.Join(",", e.Cast<object?>().Select(FormatArgument)),
        _ => value.ToString() ?? "",
    };

    /// <summary>Keeps letters, digits and . , @ + = - ; everything else (spaces, /, :, quotes) becomes '-'.</summary>
    public static string Sanitize(string name)
    {
        var text = new StringBuilder(name.Length);
        foreach (char ch in name)
            text.Append(char.IsAsciiLetterOrDigit(ch) || ch is '.' or ',' or '@' or '+' or '=' or '-' or '_' ? ch : '-');
        return text.ToString();
    }
}
