import ArgumentParser
import Foundation
import Support

/// `askdb-api create-admin --email …`: makes the first admin (or promotes an existing user).
///
/// The password comes from `ASKDB_ADMIN_PASSWORD` or standard input, never from the command
/// line, where other users of the machine could read it.
struct CreateAdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin",
        abstract: "Create an admin account, or make an existing user an admin."
    )

    @Option(help: "The admin's email address.")
    var email: String

    @Flag(help: "Read the password from standard input (one line) instead of ASKDB_ADMIN_PASSWORD.")
    var passwordStdin = false

    func run() async throws {
        let password: String? = if passwordStdin {
            readLine(strippingNewline: true)
        } else {
            ProcessInfo.processInfo.environment["ASKDB_ADMIN_PASSWORD"]
        }
        try await runOperatorTask("create-admin") { [email] services, _ in
            let result = try await services.accounts.createAdmin(email: email, password: password)
            print(result.created ? "created admin \(result.user.email) (\(result.user.id.lowercasedString))"
                                 : "\(result.user.email) is now an admin")
        }
    }
}
