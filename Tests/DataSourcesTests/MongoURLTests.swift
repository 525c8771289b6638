@testable import DataSources
import Foundation
@testable import Support
import Testing

@Suite struct MongoURLTests {
    @Test func mongoURLsParseHostListsAndRewrite() throws {
        let url = try MongoURL("mongodb://bob:p%40ss@h1:27018,[::1]:27019,h3/shop?authSource=admin&tls=false")
        #expect(url.username == "bob")
        #expect(url.password == "p@ss")
        #expect(url.hosts.map(\.name) == ["h1", "::1", "h3"])
        #expect(url.hosts.map(\.port) == [27018, 27019, 27017])
        #expect(url.database == "shop")
        #expect(url.options["authSource"] == "admin")
        #expect(!url.usesTLS)
        #expect(url.namesOtherHosts)
        #expect(try MongoURL("mongodb+srv://c.example.net/").usesTLS)
        #expect(try MongoURL("mongodb://h").database == nil)
        #expect(try MongoURL("mongodb://h/db?TLS=true").usesTLS)
    }

    /// libmongoc is given one host, directly: it never connects to a host a server names (a
    /// replica set's members, another mongos) that the host policy did not check.
    @Test func theDriverIsGivenTheFirstHostDirectly() throws {
        let set = try MongoURL("mongodb://bob:p%40ss@h1:27018,h2/shop?replicaSet=rs0&authSource=admin&readPreference=secondaryPreferred")
        #expect(set.directURI(host: "10.0.0.1:27018") == "mongodb://bob:p%40ss@10.0.0.1:27018/shop?authSource=admin&readPreference=secondaryPreferred&directConnection=true")
        #expect(try MongoURL("mongodb://h/shop").directURI(host: "10.0.0.2:27017") == "mongodb://10.0.0.2:27017/shop?directConnection=true")
        #expect(try MongoURL("mongodb://h/?directConnection=TRUE&tls=true").directURI(host: "h:27017") == "mongodb://h:27017/?tls=true&directConnection=true")
        // Behind a load balancer the driver talks to the one host given and discovers nothing.
        #expect(try MongoURL("mongodb://lb:27017/shop?loadBalanced=true&tls=true").directURI(host: "lb:27017")
            == "mongodb://lb:27017/shop?loadBalanced=true&tls=true")
        #expect(try MongoURL("mongodb://h/shop?replicaSet=rs0").namesOtherHosts)
        #expect(!(try MongoURL("mongodb://h/shop").namesOtherHosts))
    }

    /// Only options AskDB passes on are accepted; each refusal names the option (the API
    /// answers it as 422 `invalid_url`).
    @Test func optionsOutsideTheAllowListAreRefusedByName() throws {
        let refused: [(String, String)] = [
            ("tlsInsecure=true", "`tlsInsecure`"),
            ("tls=true&tlsAllowInvalidCertificates=true", "`tlsAllowInvalidCertificates`"),
            ("tls=true&tlsAllowInvalidHostnames=true", "`tlsAllowInvalidHostnames`"),
            ("tlsDisableOCSPEndpointCheck=true", "`tlsDisableOCSPEndpointCheck`"),
            ("tlsDisableCertificateRevocationCheck=true", "`tlsDisableCertificateRevocationCheck`"),
            ("sslAllowInvalidCertificates=true", "`sslAllowInvalidCertificates`"),
            ("TLSINSECURE=true", "`TLSINSECURE`"),
            ("tlsCAFile=/etc/passwd", "`tlsCAFile`"),
            ("tlsCertificateKeyFile=/root/key.pem", "`tlsCertificateKeyFile`"),
            ("tlsCertificateKeyFilePassword=x", "`tlsCertificateKeyFilePassword`"),
            ("sslCertificateAuthorityFile=/x", "`sslCertificateAuthorityFile`"),
            ("sslClientCertificateKeyFile=/x", "`sslClientCertificateKeyFile`"),
            ("tlsCRLFile=/x", "`tlsCRLFile`"),
            ("authMechanism=MONGODB-X509", "authMechanism=MONGODB-X509"),
            ("authMechanism=GSSAPI", "authMechanism=GSSAPI"),
            ("authMechanism=PLAIN", "authMechanism=PLAIN"),
            ("authMechanism=MONGODB-AWS", "authMechanism=MONGODB-AWS"),
            ("authMechanismProperties=SERVICE_NAME:x", "`authMechanismProperties`"),
            ("gssapiServiceName=x", "`gssapiServiceName`"),
            ("directConnection=false", "directConnection=false"),
            ("loadBalanced=true&replicaSet=rs0", "loadBalanced=true"),
            ("loadBalanced=true&directConnection=true", "loadBalanced=true"),
            ("tls=true&ssl=false", "disagree"),
            ("tls=yes", "`tls=yes`"),
            ("tls=true&tls=false", "`tls` twice"),
            ("tls=false&TLS=true", "twice"),
            ("srvServiceName=evil", "`srvServiceName`"),
            ("proxyHost=10.0.0.1", "`proxyHost`"),
            ("password=x", "`password`"),
        ]
        for (query, named) in refused {
            let error = #expect(throws: URLFormatError.self, "\(query)") { try MongoURL("mongodb://u:p@h1:27017/shop?\(query)") }
            #expect(error?.description.contains(named) == true, "\(query): \(error?.description ?? "")")
        }
        let many = #expect(throws: URLFormatError.self) { try MongoURL("mongodb://h1,h2/shop?loadBalanced=true") }
        #expect(many?.description.contains("more than one host") == true)
        // Through the dialect, as the API sees it.
        let failure = #expect(throws: ConnectionFailure.self) { try SourceURL(kind: .mongodb, raw: "mongodb://h/shop?tlsInsecure=true") }
        #expect(failure?.code == .invalidURL && failure?.message.contains("tlsInsecure") == true)

        let accepted = [
            "authSource=admin&authMechanism=SCRAM-SHA-256", "authMechanism=scram-sha-1", "tls=true", "ssl=true&tls=true",
            "replicaSet=rs0", "readPreference=secondaryPreferred&readPreferenceTags=dc:ny&readPreferenceTags=", "appName=reports",
            "retryReads=false", "directConnection=true", "loadBalanced=true", "compressors=zstd,zlib&zlibCompressionLevel=6",
            "connectTimeoutMS=2000&socketTimeoutMS=5000&serverSelectionTimeoutMS=3000", "maxPoolSize=4", "w=majority&journal=true",
        ]
        for query in accepted {
            #expect(throws: Never.self, "\(query)") { try MongoURL("mongodb://u:p@h1:27017/shop?\(query)") }
        }
    }
}
