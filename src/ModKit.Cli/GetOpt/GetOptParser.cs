using System.Runtime.InteropServices;

namespace ModKit.Cli.GetOpt;

/// <summary>
/// GNU getopt_long (glibc 2.36) over one command line: call <see cref="TryNext"/> until it returns
/// false, then read the operands from <see cref="Remaining"/>. Like glibc, parsing permutes the
/// arguments so that the operands end up after the options, unless the table asks otherwise.
/// Diagnostics go to the writer given here, never to the console.
/// </summary>
internal sealed partial class GetOptParser
{
    private readonly string _program;
    private readonly List<string> _args;
    private readonly OptionTable _table;
    private readonly TextWriter _errors;
    private readonly ArgumentOrdering _ordering;

    // glibc's optind, but 0-based over the arguments without argv[0].
    private int _next;

    // The operands skipped so far that still sit before options: [_firstOperand, _lastOperand).
    private int _firstOperand;
    private int _lastOperand;

    // glibc's nextchar: the element whose short options are being read, and the position in it.
    private string? _cluster;
    private int _clusterPosition;

    private bool _finished;

    /// <param name="programName">argv[0] as invoked; it prefixes every message.</param>
    /// <param name="args">The arguments after argv[0]; they are copied, not modified.</param>
    /// <param name="options">The tool's options.</param>
    /// <param name="errors">Where glibc's messages go (stderr for a tool).</param>
    /// <param name="posixlyCorrect">Whether POSIXLY_CORRECT is set: stop at the first operand unless the table says otherwise.</param>
    public GetOptParser(string programName, IEnumerable<string> args, OptionTable options, TextWriter errors, bool posixlyCorrect = false)
    {
        ArgumentNullException.ThrowIfNull(programName);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(errors);

        _program = programName;
        _args = [.. args];
        _table = options;
        // A leading ':' in the short option string turns glibc's messages off.
        _errors = options.ColonMode ? TextWriter.Null : errors;
        _ordering = options.Ordering ?? (posixlyCorrect ? ArgumentOrdering.RequireOrder : ArgumentOrdering.Permute);
    }

    /// <summary>The arguments in their current order: permuted as far as parsing has got.</summary>
    public IReadOnlyList<string> Arguments => _args;

    /// <summary>glibc's optind minus one: the index in <see cref="Arguments"/> of the next element to read.</summary>
    public int Index => _next;

    /// <summary>After <see cref="TryNext"/> has returned false: the operands, in the order given.</summary>
    public IReadOnlyList<string> Remaining => _args.GetRange(_next, _args.Count - _next);

    /// <summary>
    /// Reads the next option, like one getopt_long call: true with the option (or an error, see
    /// <see cref="GetOptResult.IsError"/>), or false when the options are over.
    /// </summary>
    public bool TryNext(out GetOptResult result)
    {
        result = default;
        if (_finished)
        {
            return false;
        }

        if (_cluster is null || _clusterPosition == _cluster.Length)
        {
            _cluster = null;
            switch (StartElement(out result))
            {
                case Step.EndOfOptions:
                    _finished = true;
                    return false;
                case Step.Returned:
                    return true;
            }
        }

        result = ReadShortOption();
        return true;
    }

    private enum Step
    {
        EndOfOptions,
        Returned,
        ShortOptions,
    }

    // glibc: an element is an operand unless it starts with '-' and is more than "-".
    private static bool IsOperand(string arg) => arg.Length < 2 || arg[0] != '-';

    // Moves on to the next element that holds options: the options may be over, the element may
    // give a whole result (a long option, an operand in order), or it starts a cluster of short options.
    private Step StartElement(out GetOptResult result)
    {
        result = default;

        if (_ordering == ArgumentOrdering.Permute)
        {
            SettleOperands();
            while (_next < _args.Count && IsOperand(_args[_next]))
            {
                _next++;
            }

            _lastOperand = _next;
        }

        // "--" ends the options: it is skipped like an option, moved before the skipped operands,
        // and everything after it counts as an operand.
        if (_next < _args.Count && _args[_next] == "--")
        {
            _next++;
            SettleOperands();
            _lastOperand = _args.Count;
            _next = _args.Count;
        }

        if (_next == _args.Count)
        {
            // Point back at the operands that were skipped and moved to the end.
            if (_firstOperand != _lastOperand)
            {
                _next = _firstOperand;
            }

            return Step.EndOfOptions;
        }

        string arg = _args[_next];
        if (IsOperand(arg))
        {
            if (_ordering == ArgumentOrdering.RequireOrder)
            {
                return Step.EndOfOptions;
            }

            _next++;
            result = Success(GetOptResult.NonOption, arg);
            return Step.Returned;
        }

        // "--name" is always a long option ("--" alone was handled above).
        if (arg[1] == '-')
        {
            result = ReadLongOption(arg[2..], "--");
            return Step.Returned;
        }

        _cluster = arg;
        _clusterPosition = 1;
        return Step.ShortOptions;
    }

    // glibc's exchange(): when options were read after skipped operands, rotate them in front of
    // the operands; with no operands pending, the pending range starts afresh here.
    private void SettleOperands()
    {
        if (_firstOperand == _lastOperand)
        {
            _firstOperand = _next;
            return;
        }

        if (_lastOperand == _next)
        {
            return;
        }

        Span<string> span = CollectionsMarshal.AsSpan(_args)[_firstOperand.._next];
        int operands = _lastOperand - _firstOperand;
        span[..operands].Reverse();
        span[operands..].Reverse();
        span.Reverse();

        _firstOperand += _next - _lastOperand;
        _lastOperand = _next;
    }

    private GetOptResult ReadShortOption()
    {
        string cluster = _cluster!;
        char c = cluster[_clusterPosition++];
        bool atEnd = _clusterPosition == cluster.Length;

        // glibc steps past the element as soon as its last character is read.
        if (atEnd)
        {
            _next++;
        }

        if (!_table.TryGetShortOption(c, out ShortOption kind))
        {
            _errors.Write(GetOptMessages.InvalidOption(_program, c));
            return Failure(GetOptResult.Error, c);
        }

        if (kind == ShortOption.NoArgument)
        {
            return Success(c, null);
        }

        // Whatever follows the option character in its element is its argument.
        string? attached = atEnd ? null : cluster[_clusterPosition..];
        _cluster = null;
        if (attached is not null)
        {
            if (kind != ShortOption.LongOptionPrefix)
            {
                _next++;
            }
        }
        else if (kind == ShortOption.OptionalArgument)
        {
            return Success(c, null);
        }
        else if (_next == _args.Count)
        {
            _errors.Write(GetOptMessages.ShortRequiresArgument(_program, c));
            return Failure(_table.ColonMode ? GetOptResult.MissingArgument : GetOptResult.Error, c);
        }
        else if (kind == ShortOption.LongOptionPrefix)
        {
            attached = _args[_next];
        }
        else
        {
            attached = _args[_next++];
        }

        // For "-W name", the long option reader steps past the element holding the name.
        return kind == ShortOption.LongOptionPrefix
            ? ReadLongOption(attached, "-W ")
            : Success(c, attached);
    }

    private static GetOptResult Success(int code, string? argument, int longIndex = -1) =>
        new() { Code = code, Argument = argument, LongIndex = longIndex };

    private static GetOptResult Failure(int code, int errorOption) =>
        new() { Code = code, ErrorOption = errorOption, LongIndex = -1, IsError = true };
}
