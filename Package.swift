// swift-tools-version:6.0
import PackageDescription

// Swift 6 language mode (tools 6.0 default): strict concurrency checking everywhere, existentials
// spelled `any`, imports internal unless a public declaration needs them (`public import`), and
// members visible only from modules a file imports itself.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Bizing",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bizing", targets: ["bizing"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C libraries: module map + shim.h only.
        .systemLibrary(
            name: "CMicroHTTPD",
            pkgConfig: "libmicrohttpd",
            providers: [.apt(["libmicrohttpd-dev"])]
        ),
        .systemLibrary(
            name: "CArgon2",
            pkgConfig: "libargon2",
            providers: [.apt(["libargon2-dev"])]
        ),
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),

        // SQLite's process-wide configuration, set by a C constructor before any connection opens.
        .target(name: "CSQLiteSetup", linkerSettings: [.linkedLibrary("sqlite3")]),

        // Pure domain: no I/O.
        .target(name: "BookingCore", swiftSettings: strict),
        // Admission to the cores for the write threads' work (CoreGate), and the call that steps
        // out of line to block; no dependencies, so the server, the store and the clients share it.
        .target(name: "Admission", swiftSettings: strict),
        // libmicrohttpd wrapper; knows nothing of bookings.
        .target(
            name: "HTTPServer",
            dependencies: ["CMicroHTTPD", "Admission", .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // The one door to SQLite.
        .target(
            name: "Store",
            dependencies: ["BookingCore", "CSQLiteSetup", "Admission", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .target(name: "Passwords", dependencies: ["CArgon2", "Admission"], swiftSettings: strict),
        // Outbound mail (SMTP) and HTTP (webhooks, Stripe) over libcurl; knows nothing of bookings.
        .target(name: "Outbound", dependencies: ["CCurl", "Admission"], swiftSettings: strict),
        .target(
            name: "Web",
            dependencies: [
                "HTTPServer", "Store", "Passwords", "BookingCore", "Outbound",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        // Background work started by `bizing serve`: outbox delivery (and later reminders' kin).
        .target(
            name: "Jobs",
            dependencies: ["Store", "Outbound", "BookingCore",
                           .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "Mustache", package: "swift-mustache"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "bizing",
            dependencies: ["Web", "Store", "HTTPServer", "Passwords", "BookingCore", "Jobs", "Outbound",
                           .product(name: "ArgumentParser", package: "swift-argument-parser"),
                           .product(name: "Logging", package: "swift-log")],
            swiftSettings: strict
        ),
        // A bare libmicrohttpd handler: the ceiling the routed server is measured against.
        .executableTarget(name: "BareHTTPBench", dependencies: ["CMicroHTTPD"], swiftSettings: strict),
        // Release-mode benchmarks of the engine and pricing, and seeding for the HTTP benchmarks.
        .executableTarget(name: "BookingBench", dependencies: ["BookingCore", "Store", "Passwords", "Jobs", "Outbound", "Web", "HTTPServer",
                                                            .product(name: "Logging", package: "swift-log")], swiftSettings: strict),

        // Test helpers shared by the test targets (a raw HTTP client for real-server tests).
        .target(name: "TestSupport", dependencies: [.product(name: "Crypto", package: "swift-crypto")], path: "Tests/Support",
                swiftSettings: strict),

        .testTarget(name: "BookingCoreTests", dependencies: ["BookingCore"], swiftSettings: strict),
        .testTarget(name: "AdmissionTests", dependencies: ["Admission"], swiftSettings: strict),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "Admission", "TestSupport"], swiftSettings: strict),
        .testTarget(name: "StoreTests", dependencies: ["Store", "BookingCore", "Admission", .product(name: "GRDB", package: "GRDB.swift")],
                    exclude: ["shipped-migrations.sha256"], swiftSettings: strict),
        .testTarget(name: "PasswordsTests", dependencies: ["Passwords"], swiftSettings: strict),
        .testTarget(name: "OutboundTests", dependencies: ["Outbound", "TestSupport"], swiftSettings: strict),
        .testTarget(
            name: "JobsTests",
            dependencies: ["Jobs", "Web", "Store", "Outbound", "BookingCore", "HTTPServer", "TestSupport",
                           .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "WebTests",
            dependencies: ["Web", "Store", "HTTPServer", "BookingCore", "Passwords", "TestSupport", "Outbound", "Jobs",
                           .product(name: "Mustache", package: "swift-mustache"), .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
    ]
)
