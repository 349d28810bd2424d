import ArgumentParser
import WinnowCore
import WinnowLM
import WinnowPipeline
#if canImport(Glibc)
import Glibc
#endif

struct LMTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a transformer LM on token shards (see TrainConfig for the YAML keys).",
        discussion: """
        Writes OUTPUT_DIR/metrics.jsonl (one line per logged step and per evaluation) and
        OUTPUT_DIR/checkpoints/step-N/ (model.safetensors, optimizer.safetensors with the data
        position, config.json). --resume continues a run exactly where the checkpoint left it.
        """)

    @Argument(help: "Training config YAML.") var config: String
    @Option(help: "A checkpoint directory to continue from, or 'latest' (the newest under output_dir).") var resume: String?
    @Option(help: "Stop after this many steps in this invocation (for testing resumption).") var maxSteps: Int?

    func run() throws {
        guard let text = readTextFile(config) else { throw ValidationError("cannot read \(config)") }
        let cfg = try TrainConfig(try YAMLConfig.parse(text, file: config), file: config)
        BLASThreads.set(cfg.threads)
        let trainer: Trainer
        if let resume {
            let dir = resume == "latest" ? Trainer.latestCheckpoint(outputDir: cfg.outputDir) : resume
            guard let dir else { throw ValidationError("no checkpoint under \(cfg.outputDir)/checkpoints") }
            trainer = try Trainer(config: cfg, resumeFrom: dir)
            print("resumed from \(dir) at step \(trainer.step)")
        } else {
            trainer = try Trainer(config: cfg)
        }
        let stopAt = maxSteps.map { min(cfg.steps, trainer.step + max(0, $0)) } ?? cfg.steps
        _ = try TrainingLoop.run(trainer, stopAt: stopAt, log: { print($0) })
    }
}
