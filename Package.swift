// swift-tools-version: 6.1
import PackageDescription

// Hot modules get the AVX2/FMA ISA in release builds (SWIFT-NOTES §4: 2x on byte loops), and
// no dynamic exclusivity checks in release (each access to a class's `var` in a hot loop cost a
// runtime call; debug builds and tests keep the checks).
let hotPathSettings: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-mavx2", "-Xcc", "-mfma", "-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

// WinnowLM is optimised in debug builds too: its 8-lane vector math (SIMD8<Float>) at -Onone makes
// a call per lane operation, and the tests train real models (training ran ~15x slower).
let lmSettings: [SwiftSetting] = hotPathSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]

let package = Package(
    name: "Winnow",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "winnow", targets: ["winnow"]),
        .library(name: "WinnowCore", targets: ["WinnowCore"]),
        .library(name: "WinnowIO", targets: ["WinnowIO"]),
        .library(name: "WinnowClassify", targets: ["WinnowClassify"]),
        .library(name: "WinnowDedup", targets: ["WinnowDedup"]),
        .library(name: "WinnowSteps", targets: ["WinnowSteps"]),
        .library(name: "WinnowPipeline", targets: ["WinnowPipeline"]),
        .library(name: "WinnowTokenize", targets: ["WinnowTokenize"]),
        .library(name: "WinnowLM", targets: ["WinnowLM"]),
        .library(name: "WinnowCompress", targets: ["WinnowCompress"]),
        .library(name: "WinnowReport", targets: ["WinnowReport"]),
        .library(name: "WinnowAblation", targets: ["WinnowAblation"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // System libraries (module maps; see SWIFT-NOTES §1).
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // ICU lives behind a C facade whose header has no ICU types (Foundation carries its own ICU).
        .target(name: "CICUShim",
                linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]),
        // libdeflate bound at run time (runtime library is in the image, headers are not).
        .target(name: "CLibDeflate", linkerSettings: [.linkedLibrary("dl")]),
        // Process control Swift cannot call directly (variadic prctl).
        .target(name: "CProcessShim"),
        // Cache prefetch for the tokenizer's table probes.
        .target(name: "CMemoryHints"),
        // Vector byte scans for the HTML prescan (SSE2; Swift's SIMD types were far slower).
        .target(name: "CByteScan"),

        .target(name: "WinnowCore", swiftSettings: hotPathSettings),
        .target(name: "WinnowIO", dependencies: ["WinnowCore", "CZlib", "CZstd", "CLibDeflate"],
                swiftSettings: hotPathSettings),
        .target(name: "WinnowText", dependencies: ["WinnowCore", "CICUShim"], swiftSettings: hotPathSettings),
        .target(name: "WinnowClassify", dependencies: ["WinnowCore"], swiftSettings: hotPathSettings),
        .target(name: "WinnowExtract", dependencies: ["WinnowCore", "CLibXML2", "CByteScan"], swiftSettings: hotPathSettings),
        .target(name: "WinnowFilters", dependencies: ["WinnowCore", "WinnowText", "WinnowClassify"], swiftSettings: hotPathSettings),
        .target(name: "WinnowTokenize", dependencies: ["WinnowCore", "WinnowIO", "WinnowText", "CICUShim", "CMemoryHints"], swiftSettings: hotPathSettings),
        .target(name: "WinnowDedup", dependencies: ["WinnowCore", "WinnowIO", "WinnowText", "WinnowSteps"], swiftSettings: hotPathSettings),
        // The plug-in surface of a run: step specs, step kinds, work units, output formats, file stats.
        .target(name: "WinnowSteps", dependencies: ["WinnowCore", "WinnowIO"]),
        .target(name: "WinnowPipeline", dependencies: [
            "WinnowCore", "WinnowSteps", "WinnowIO", "WinnowText", "WinnowClassify", "WinnowExtract", "WinnowDedup", "WinnowFilters", "WinnowTokenize", "WinnowLM", "WinnowCompress", "CSQLite", "CProcessShim",
            .product(name: "Yams", package: "Yams"),
        ]),
        // OpenBLAS is opened at run time (`OpenBLAS` in BLAS.swift), not linked.
        .target(name: "WinnowLM", dependencies: ["WinnowCore", "WinnowTokenize"], swiftSettings: lmSettings,
                linkerSettings: [.linkedLibrary("dl")]),
        // Equal-info windows (EIW): M1's deterministic inference, the range coder, EqualInfoAC and the baselines.
        // (Debug builds stay at -Onone: the tests pin the same windows in debug and release builds.)
        .target(name: "WinnowCompress", dependencies: ["WinnowCore", "WinnowLM", "WinnowTokenize", "CZlib"], swiftSettings: hotPathSettings),
        // The HTML report of a run (reads the run directory; nothing in the pipeline depends on it).
        .target(name: "WinnowReport", dependencies: ["WinnowCore", "WinnowIO", "WinnowSteps", "WinnowPipeline", "WinnowTokenize"]),
        // Ablations: a base pipeline and variants expanded into one pipeline, and their results.
        .target(name: "WinnowAblation", dependencies: ["WinnowCore", "WinnowSteps", "WinnowPipeline"]),
        .executableTarget(name: "winnow", dependencies: [
            "WinnowPipeline", "WinnowSteps", "WinnowLM", "WinnowCompress", "WinnowReport", "WinnowAblation", "WinnowIO", "WinnowCore", "WinnowClassify", "WinnowDedup", "WinnowText", "WinnowExtract", "WinnowTokenize",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // libFuzzer targets (Fuzz/README.md). A normal build makes replay tools (`FuzzX FILE...`);
        // bench/fuzz.sh builds them with `-sanitize=fuzzer,address -DFUZZING`.
        .target(name: "CFuzzDriver", path: "Fuzz/CFuzzDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzDriver", "WinnowCore", "WinnowIO"], path: "Fuzz/FuzzSupport"),
        .executableTarget(name: "FuzzGzipWARC", dependencies: ["FuzzSupport", "WinnowIO", "WinnowCore"], path: "Fuzz/FuzzGzipWARC"),
        .executableTarget(name: "FuzzZstd", dependencies: ["FuzzSupport", "WinnowIO", "WinnowCore"], path: "Fuzz/FuzzZstd"),
        .executableTarget(name: "FuzzJSONL", dependencies: ["FuzzSupport", "WinnowIO", "WinnowCore"], path: "Fuzz/FuzzJSONL"),
        .executableTarget(name: "FuzzHTMLExtract", dependencies: ["FuzzSupport", "WinnowExtract", "WinnowCore"], path: "Fuzz/FuzzHTMLExtract"),
        .executableTarget(name: "FuzzCharset", dependencies: ["FuzzSupport", "WinnowText", "WinnowCore"], path: "Fuzz/FuzzCharset"),
        .executableTarget(name: "FuzzFastText", dependencies: ["FuzzSupport", "WinnowClassify", "WinnowCore"], path: "Fuzz/FuzzFastText"),
        .target(name: "FuzzTokenizerSupport", dependencies: ["WinnowTokenize"], path: "Fuzz/FuzzTokenizerSupport"),
        .executableTarget(name: "FuzzTiktoken", dependencies: ["FuzzSupport", "FuzzTokenizerSupport", "WinnowTokenize"], path: "Fuzz/FuzzTiktoken"),
        .executableTarget(name: "FuzzHFTokenizer", dependencies: ["FuzzSupport", "FuzzTokenizerSupport", "WinnowTokenize"], path: "Fuzz/FuzzHFTokenizer"),
        .executableTarget(name: "FuzzSafetensors", dependencies: ["FuzzSupport", "WinnowLM"], path: "Fuzz/FuzzSafetensors"),
        .executableTarget(name: "FuzzSentencePiece", dependencies: ["FuzzSupport", "FuzzTokenizerSupport", "WinnowTokenize"], path: "Fuzz/FuzzSentencePiece"),

        // What every test target shares: repository and fixture paths, temporary directories
        // removed after each test, shared corpora, stages built from parameters.
        .target(name: "WinnowTestSupport", dependencies: ["WinnowCore"], path: "Tests/WinnowTestSupport"),
        .testTarget(name: "WinnowCoreTests", dependencies: ["WinnowCore"]),
        .testTarget(name: "WinnowIOTests", dependencies: ["WinnowIO", "WinnowCore", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowTextTests", dependencies: ["WinnowText", "WinnowCore", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowPipelineTests", dependencies: ["WinnowPipeline", "WinnowSteps", "WinnowDedup", "WinnowIO", "WinnowCore", "WinnowTokenize", "WinnowLM", "WinnowCompress", "WinnowTestSupport"]),
        .testTarget(name: "WinnowClassifyTests", dependencies: ["WinnowClassify", "WinnowCore", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowExtractTests", dependencies: ["WinnowExtract", "WinnowText", "WinnowCore", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowFiltersTests", dependencies: ["WinnowFilters", "WinnowText", "WinnowCore", "WinnowIO", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowDedupTests", dependencies: ["WinnowDedup", "WinnowText", "WinnowIO", "WinnowCore", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowTokenizeTests", dependencies: ["WinnowTokenize", "WinnowCore", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowLMTests", dependencies: ["WinnowLM", "WinnowCore", "WinnowTokenize", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowCompressTests", dependencies: ["WinnowCompress", "WinnowLM", "WinnowCore", "WinnowTokenize", "WinnowTestSupport"], exclude: ["Fixtures"]),
        .testTarget(name: "WinnowAblationTests", dependencies: ["WinnowAblation", "WinnowReport", "WinnowPipeline", "WinnowCore", "WinnowIO", "WinnowTestSupport"]),
        .testTarget(name: "WinnowReportTests", dependencies: ["WinnowReport", "WinnowPipeline", "WinnowCore", "WinnowIO", "WinnowTestSupport"]),
        .testTarget(name: "SystemLibrariesTests",
                    dependencies: ["CZlib", "CZstd", "CLibXML2", "CSQLite", "CICUShim", "CLibDeflate"]),
    ]
)
