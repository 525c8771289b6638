import Core
import Hummingbird
import Logging

/// Builds the HTTP application: every route, behind the error and logging middleware.
///
/// The clients in `services` must be run by the caller (the PostgreSQL client is a service).
func buildApplication(config: APIConfig, services: APIServices) -> some ApplicationProtocol {
    let router = buildRouter(services: services)
    return Application(
        router: router,
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "askdb"),
        logger: services.logger
    )
}

func buildRouter(services: APIServices) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: ErrorMiddleware())
    HealthRoutes(probe: services.readiness).register(on: router)
    return router
}
