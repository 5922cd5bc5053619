// Start-up wiring only. Synchronous on purpose: no top-level `await` (it would make closures
// formed here MainActor-isolated, and libmicrohttpd threads would then trap).
import Foundation

BizingCommand.run(arguments: Array(CommandLine.arguments.dropFirst()))
