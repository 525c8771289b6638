import Hummingbird
import Logging

/// Builds the HTTP application: every route, behind the error and logging middleware.
///
/// The application runs the PostgreSQL client and the row-change listener as its services, so
/// they start and stop together; the Redis client is closed by the caller after the application stops.
func buildApplication(config: APIConfig, services: APIServices) -> Application<RouterResponder<AppRequestContext>> {
    Application(
        router: buildRouter(services: services),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "askdb"),
        services: [services.postgres, services.rowChanges],
        logger: services.logger
    )
}

func buildRouter(services: APIServices) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: ErrorMiddleware())
    HealthRoutes(probe: services.readiness).register(on: router)
    OpenAPIRoutes().register(on: router)

    let api = router.group("api")
    let accountRoutes = AccountRoutes(accounts: services.accounts)
    accountRoutes.registerPublic(on: api)

    let authenticated = api.group().add(middleware: AuthenticationMiddleware(accounts: services.accounts))
    accountRoutes.registerProtected(on: authenticated)
    APIKeyRoutes(keys: services.accounts.apiKeys).register(on: authenticated)
    AdminRoutes(invites: services.accounts.invites).register(on: authenticated)
    ConnectionRoutes(connections: services.connections).register(on: authenticated)
    JobRoutes(jobs: services.jobs, connections: services.connections).register(on: authenticated)
    AdminQueueRoutes(jobs: services.jobs, workers: services.workers).register(on: authenticated)
    QueryRoutes(questions: services.questions).register(on: authenticated)
    HistoryRoutes(history: services.questions.history, audit: services.questions.audit).register(on: authenticated)
    // Last, so it sees the whole table and wraps only the not-found answer.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
    return router
}
