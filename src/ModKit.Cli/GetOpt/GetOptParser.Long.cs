namespace ModKit.Cli.GetOpt;

internal sealed partial class GetOptParser
{
    // glibc's process_long_option: "typed" is the element after its prefix ("--", or "-W ").
    private GetOptResult ReadLongOption(string typed, string prefix)
    {
        int equals = typed.IndexOf('=');
        ReadOnlySpan<char> name = equals < 0 ? typed : typed.AsSpan(0, equals);
        IReadOnlyList<LongOption> table = _table.LongOptions;

        // Every outcome, even an error, consumes the element holding the name.
        _next++;

        int index = FindExact(table, name);
        if (index < 0)
        {
            index = FindAbbreviated(table, name, out List<int>? ambiguous);
            if (ambiguous is not null)
            {
                _errors.Write(GetOptMessages.Ambiguous(_program, prefix, typed, ambiguous.Select(i => table[i].Name)));
                return Failure(GetOptResult.Error, 0);
            }
        }

        if (index < 0)
        {
            _errors.Write(GetOptMessages.Unrecognized(_program, prefix, typed));
            return Failure(GetOptResult.Error, 0);
        }

        LongOption option = table[index];
        string? argument = null;
        if (equals >= 0)
        {
            // "--name=value": a value is taken by required and optional options alike.
            if (option.Argument == OptionArgument.None)
            {
                _errors.Write(GetOptMessages.DoesNotAllowArgument(_program, prefix, option.Name));
                return Failure(GetOptResult.Error, option.Value);
            }

            argument = typed[(equals + 1)..];
        }
        else if (option.Argument == OptionArgument.Required)
        {
            // "--name value": the next element is the value whatever it looks like, even "--".
            if (_next == _args.Count)
            {
                _errors.Write(GetOptMessages.LongRequiresArgument(_program, prefix, option.Name));
                return Failure(_table.ColonMode ? GetOptResult.MissingArgument : GetOptResult.Error, option.Value);
            }

            argument = _args[_next++];
        }

        return Success(option.Value, argument, index);
    }

    // An exact match wins over any abbreviation, even when it is a prefix of other names.
    private static int FindExact(IReadOnlyList<LongOption> table, ReadOnlySpan<char> name)
    {
        for (int i = 0; i < table.Count; i++)
        {
            if (name.SequenceEqual(table[i].Name))
            {
                return i;
            }
        }

        return -1;
    }

    // A unique prefix selects its option. Several matches are no ambiguity when they all mean the
    // same (same argument kind and value, like modprobe's --remove-dependencies/--remove-holders):
    // the first one is taken. Otherwise the candidates glibc lists are the first match and every
    // later match that differs from that first one, in table order.
    private static int FindAbbreviated(IReadOnlyList<LongOption> table, ReadOnlySpan<char> name, out List<int>? ambiguous)
    {
        ambiguous = null;
        int first = -1;
        for (int i = 0; i < table.Count; i++)
        {
            LongOption candidate = table[i];
            if (!candidate.Name.AsSpan().StartsWith(name, StringComparison.Ordinal))
            {
                continue;
            }

            if (first < 0)
            {
                first = i;
            }
            else if (candidate.Argument != table[first].Argument || candidate.Value != table[first].Value)
            {
                ambiguous ??= [first];
                ambiguous.Add(i);
            }
        }

        return first;
    }
}
