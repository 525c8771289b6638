@testable import Support
import Testing

@Suite struct ConnectionFailureTests {
    @Test func codesSayWhetherRetryingCanHelp() {
        let permanent: [ConnectionFailure.Code] = [.hostNotFound, .authenticationFailed, .databaseNotFound, .invalidURL]
        let transient: [ConnectionFailure.Code] = [.connectionRefused, .connectionTimeout, .tlsFailed, .connectionFailed]
        #expect(permanent.allSatisfy(\.isPermanent) && !transient.contains(where: \.isPermanent))
        let codes = (permanent + transient).map(\.rawValue)
        #expect(Set(codes).count == codes.count && codes.allSatisfy { $0.allSatisfy { $0.isLowercase || $0 == "_" } })
    }

    @Test func clientsSeeA422WithTheCode() {
        let failure = ConnectionFailure(.connectionRefused, "connection refused by db:5432")
        #expect(failure.clientStatus == 422 && failure.clientCode == "connection_refused" && failure.clientMessage == "connection refused by db:5432")
    }
}
