// swift-tools-version: 6.0
import Foundation
import PackageDescription

// Build settings for the numeric engine (see README, "Speed"):
// - optimized (-O) even in debug builds: its loops run 20–50× slower unoptimized, which would make
//   `swift test`'s MNIST training checks take minutes;
// - compiled for the building machine's CPU (-target-cpu native), so the kernels' loops use its vector
//   width (AVX2/AVX-512 on x86-64). The loops are elementwise, so results are bit-identical either way.
//   Set BNLAB_PORTABLE=1 to build a binary for baseline x86-64/arm64 instead.
let portable = ProcessInfo.processInfo.environment["BNLAB_PORTABLE"] != nil
// - on a building machine with AVX-512 (Linux, read from /proc/cpuinfo), BNLAB_AVX512: the matrix
//   kernel's blocks use 16-lane vectors, which only its 32 vector registers hold (BlockedProduct.swift).
let cpuFlags = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
    .split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ") ?? []
let avx512 = !portable && cpuFlags.contains("avx512f") && cpuFlags.contains("avx512vl")
let engineSettings: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]
    + (portable ? [] : [.unsafeFlags(["-target-cpu", "native"]), .define("BNLAB_NATIVE")])
    + (avx512 ? [.define("BNLAB_AVX512")] : [])

// The layout is the architecture. Nothing imports "upward":
//   BNEngine ← BNData ← BNLessons ← BNApp ← bnlab
//   BNPlots  ←──────────┘            ↑
//   CNcursesw ← BNTerminal ──────────┘ (the only module that touches ncurses)
//   BNEngine, BNPlots ← BNTools ← bnlab (the plot demo and the dashboard benchmark: tools, not library
//   code; the engine only for its seeded generator)
//   BNEngine ← BNVerify ← bnlab   (the reference-file checker behind `bnlab verify`)
//   BNFiles  ← BNData, BNVerify, BNLessons, BNApp, bnlab (files the user names: read with bounds,
//              written atomically)

let package = Package(
    name: "bnlab",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "bnlab", targets: ["bnlab"]),
        .library(name: "BNEngine", targets: ["BNEngine"]),
        .library(name: "BNVerify", targets: ["BNVerify"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // MARK: Engine: tensors, layers, BN, losses, optimizers, training. Foundation, and a C header
        // for the one instruction Swift cannot spell (a prefetch, for the matrix kernel and the next batch).
        .target(name: "CPrefetch"),
        .target(name: "BNEngine", dependencies: ["CPrefetch"], swiftSettings: engineSettings),

        // MARK: Files the user names: read whole with bounds (InputFile), written atomically (AtomicFile).
        .target(name: "BNFiles"),

        // MARK: Verify: reads PyTorch reference files and checks every case against the engine.
        .target(name: "BNVerify", dependencies: ["BNEngine", "BNFiles"]),

        // MARK: Data: MNIST IDX files (gzip via the system zlib), preprocessing, synthetic sets.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(
            name: "BNData",
            dependencies: ["BNEngine", "BNFiles", "CZlib"],
            resources: [.copy("MNIST")],
            swiftSettings: [.unsafeFlags(["-O"], .when(configuration: .debug))]  // decoding 47 MB of pixels
        ),

        // MARK: Plots: pure renderers into a character grid. No engine, no terminal.
        .target(name: "BNPlots"),
        // MARK: Tools: the plot demo, its demonstration data and the dashboard benchmark (bnlab plots, bench).
        .target(name: "BNTools", dependencies: ["BNEngine", "BNPlots"]),

        // MARK: Lessons: Markdown notebooks, experiments, checked claims, headless runner.
        .target(
            name: "BNLessons",
            dependencies: ["BNEngine", "BNData", "BNPlots", "BNFiles", .product(name: "Yams", package: "Yams")]
        ),

        // MARK: App: the notebook's state machine and layouts, drawn into grids. No ncurses.
        .target(name: "BNApp", dependencies: ["BNLessons", "BNPlots", "BNEngine", "BNFiles"]),

        // MARK: Terminal: the one small module that imports ncurses.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        .target(name: "BNTerminal", dependencies: ["CNcursesw", "BNPlots"]),

        // MARK: The thin executable, and the allocation counter `bnlab bench` links in.
        .target(name: "CAllocationCounter"),
        .executableTarget(
            name: "bnlab",
            dependencies: [
                "BNEngine", "BNVerify", "BNData", "BNPlots", "BNTools", "BNLessons", "BNApp", "BNTerminal", "BNFiles", "CAllocationCounter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            // `bench` measures the machine's FMA peak with the engine's target CPU (MachinePeak.swift).
            swiftSettings: portable ? [] : [.unsafeFlags(["-target-cpu", "native"]), .define("BNLAB_NATIVE")]
        ),

        // MARK: Tests
        .testTarget(name: "BNEngineTests", dependencies: ["BNEngine", "BNData"]),
        .testTarget(name: "BNFilesTests", dependencies: ["BNFiles"]),
        .testTarget(name: "BNVerifyTests", dependencies: ["BNVerify", "BNEngine"], resources: [.copy("Fixtures")]),
        .testTarget(name: "BNDataTests", dependencies: ["BNData", "BNEngine"]),
        .testTarget(name: "BNPlotsTests", dependencies: ["BNPlots", "BNTools", "BNEngine"]),
        .testTarget(name: "BNToolsTests", dependencies: ["BNTools", "BNPlots"]),
        .testTarget(name: "BNLessonsTests", dependencies: ["BNLessons", "BNEngine", "BNPlots", "BNFiles"], resources: [.copy("Fixtures")]),
        // The dashboard's snapshot frames are read from the source tree (#filePath), not bundled.
        .testTarget(name: "BNAppTests", dependencies: ["BNApp", "BNPlots"], exclude: ["Snapshots"]),
    ]
)
