import Hummingbird
import Runtime

/// `/health`: the process is alive. `/ready`: its servers answer; 503 names those that don't.
struct HealthRoutes: Sendable {
    let probe: ReadinessProbe

    func register(on router: Router<AppRequestContext>) {
        router.get("/health") { _, _ in
            try APIJSON.response(["status": "ok"])
        }
        router.get("/ready") { _, _ in
            let report = await probe.check()
            let checks = Dictionary(uniqueKeysWithValues: report.checked.map { name in
                (name, report.failures[name].map { "down: \($0)" } ?? "ok")
            })
            guard report.isReady else {
                let down = report.failures.keys.sorted()
                let message = "not ready: " + down.map { "\($0) is unreachable (\(report.failures[$0]!))" }.joined(separator: "; ")
                return try APIJSON.response(NotReadyBody(error: .init(code: "not_ready", message: message), checks: checks), status: .serviceUnavailable)
            }
            return try APIJSON.response(ReadyBody(status: "ready", checks: checks))
        }
    }

    struct ReadyBody: Encodable {
        var status: String
        var checks: [String: String]
    }

    struct NotReadyBody: Encodable {
        var error: APIError.ErrorBody.Detail
        var checks: [String: String]
    }
}
