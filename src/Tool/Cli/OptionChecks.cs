using System.CommandLine;

namespace IclPrune.Tool.Cli;

/// <summary>
/// Checks a value while the command line is parsed, so that a bad value is a usage error naming its flag before any
/// model loads; the check is the same parser the command uses later (a <see cref="UsageException"/> means invalid).
/// The core's messages speak of values ("dtype 'fp8' is not supported"); here they are prefixed with the flag.
/// </summary>
public static class OptionChecks
{
    public static Option<T> Checked<T>(this Option<T> option, Action<T> check)
    {
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 0) return;   // the default value, valid by construction
            T value;
            try
            {
                value = result.GetValueOrDefault<T>();
            }
            catch (InvalidOperationException)
            {
                return;   // not a T at all ("--shots x"): the parser reports that itself
            }
            try
            {
                check(value);
            }
            catch (UsageException e)
            {
                string flag = result.Option.Name;
                result.AddError(e.Message.Contains(flag, StringComparison.Ordinal) ? e.Message : $"{flag}: {e.Message}");
            }
        });
        return option;
    }

    /// <summary>Runs work that reads an option's value outside the parser; its usage errors name the flag.</summary>
    public static T Naming<T>(string flag, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (UsageException e) when (!e.Message.Contains(flag, StringComparison.Ordinal))
        {
            throw new UsageException($"{flag}: {e.Message}");
        }
    }
}
