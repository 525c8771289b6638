import ArgumentParser

/// `askdb-api`: serves the REST API and runs the app database's migrations.
@main
struct AskDBAPI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "askdb-api",
        abstract: "AskDB's API server: accounts, connections, questions and job status; and its MCP bridge.",
        subcommands: [ServeCommand.self, MigrateCommand.self, CreateAdminCommand.self, RotateKeyCommand.self, EvalCommand.self, MCPBridgeCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}
