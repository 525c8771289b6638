import Hummingbird
import Logging
import Prometheus
import Runtime
import ServiceLifecycle
import Support

/// Builds the HTTP application: every route, behind the error and logging middleware.
///
/// `resources` run as the application's services (the test harness runs it alone); `serve`
/// runs the application as one service of the process's group instead.
/// - Parameter metrics: `/metrics` over the registry the process bootstrapped swift-metrics with.
func buildApplication(config: APIConfig, services: APIServices, resources: [any Service] = [],
                      metrics: MetricsEndpoint? = nil) -> Application<RouterResponder<AppRequestContext>> {
    Application(
        router: buildRouter(services: services, trustedProxies: config.trustedProxies,
                            metrics: metrics ?? MetricsEndpoint(registry: PrometheusCollectorRegistry(), allowed: config.app.metricsAllow)),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "askdb"),
        services: resources,
        logger: services.logger
    )
}

/// - Parameter trustedProxies: whose `X-Forwarded-For` names the client (`ASKDB_TRUSTED_PROXIES`).
/// - Parameter metrics: `/metrics`; by default over a registry of its own (which nothing records into).
func buildRouter(services: APIServices, trustedProxies: TrustedProxies = TrustedProxies(),
                 metrics: MetricsEndpoint = MetricsEndpoint(registry: PrometheusCollectorRegistry(), allowed: .loopback)) -> Router<AppRequestContext> {
    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ClientAddressMiddleware(proxies: trustedProxies))
    router.add(middleware: RequestIDMiddleware())
    router.add(middleware: RequestMetricsMiddleware())
    router.add(middleware: LogRequestsMiddleware(.info))
    router.add(middleware: ErrorMiddleware())
    HealthRoutes(probe: services.readiness).register(on: router)
    OpenAPIRoutes().register(on: router)
    // The address a trusted proxy forwarded counts, so a scrape through the load balancer from
    // outside the allowed ranges is refused like a direct one.
    metrics.register(on: router) { $0.clientAddress }

    let api = router.group("api")
    let accountRoutes = AccountRoutes(accounts: services.accounts)
    accountRoutes.registerPublic(on: api)

    let authenticated = api.group().add(middleware: AuthenticationMiddleware(accounts: services.accounts))
    accountRoutes.registerProtected(on: authenticated)
    APIKeyRoutes(accounts: services.accounts).register(on: authenticated)
    AdminRoutes(accounts: services.accounts).register(on: authenticated)
    ConnectionRoutes(connections: services.connections).register(on: authenticated)
    JobRoutes(jobs: services.jobs, connections: services.connections).register(on: authenticated)
    AdminQueueRoutes(jobs: services.jobs, workers: services.workers).register(on: authenticated)
    QueryRoutes(questions: services.questions).register(on: authenticated)
    HistoryRoutes(history: services.history).register(on: authenticated)
    ExampleRoutes(examples: services.examples, history: services.history).register(on: authenticated)
    MCPRoutes(questions: services.questions, connections: services.connections)
        .register(on: router.group("mcp").add(middleware: AuthenticationMiddleware(accounts: services.accounts)))
    // Last, so it sees the whole table and wraps only the not-found answer.
    router.add(middleware: MethodNotAllowedMiddleware(routes: router.routes))
    return router
}
