import ArgumentParser
import Foundation

/// Prints `line` to standard error: progress, settings, notes, warnings and `wrote FILE` lines.
///
/// Standard output holds only a command's results (its tables; the JSON with `--json -`), so that
/// `mlresnet compare > table.txt` keeps the table alone while the run's log stays on the terminal.
/// Standard output is flushed first, so that both streams interleave in order on a terminal.
func printLog(_ line: String) {
    fflush(nil)
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

extension MLResNet {
    /// The name a user types for `command`: `mlresnet` for the root, `mlresnet compare` for a subcommand.
    static func typedName(of command: ParsableCommand.Type) -> String {
        let root = configuration.commandName ?? "mlresnet"
        guard ObjectIdentifier(command) != ObjectIdentifier(Self.self) else { return root }
        return "\(root) \(command.configuration.commandName ?? String(describing: command))"
    }

    /// The message for an error thrown by `command`'s `run()`: for a usage error (``ValidationError``)
    /// the message, the subcommand's usage and where its help is, as ArgumentParser prints for
    /// errors found while parsing, e.g.
    ///
    /// ```
    /// Error: --resume: runs/a/config.json records another configuration (…)
    /// Usage: mlresnet compare <options>
    ///   See 'mlresnet compare --help' for more information.
    /// ```
    ///
    /// ArgumentParser's `exit(withError:)` called on the root knows the command stack only of errors
    /// thrown while parsing, so for an error thrown by `run()` it printed the root's usage
    /// (`mlresnet <subcommand>`). Other errors keep ArgumentParser's message (no usage).
    ///
    /// - Returns: the text and exit status, or nil when the error is not a usage error.
    static func usageFailure(_ error: any Error, in command: ParsableCommand.Type) -> (text: String, status: Int32)? {
        guard let validation = error as? ValidationError else { return nil }
        let name = typedName(of: command)
        let usage = usageString(for: command).replacingOccurrences(of: "\n", with: "\n       ")
        return ("Error: \(validation.message)\nUsage: \(usage)\n  See '\(name) --help' for more information.\n",
                ExitCode.validationFailure.rawValue)
    }
}
