import ArgumentParser
import WinnowLM

struct LMExportHF: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export-hf",
        abstract: "Write a checkpoint as a transformers model directory (LlamaForCausalLM or GPT2LMHeadModel).",
        discussion: """
        RoPE + RMSNorm + SwiGLU models (mobilellm-tiny, GQA included) become LlamaForCausalLM;
        learned positions + LayerNorm + GELU/ReLU with biases (gpt2-tiny) become GPT2LMHeadModel.
        OUT_DIR gets config.json and model.safetensors (F32), loadable with from_pretrained.
        MobileLLM-LS block sharing is unrolled into separate layers; models neither class can
        express (no positions, RoPE with LayerNorm, an ungated MLP with RoPE …) are refused.
        """)

    @Argument(help: "A checkpoint directory (or a transformers model directory).") var checkpoint: String
    @Argument(help: "Output directory (created if missing).") var outDir: String

    func run() throws {
        let model = try Transformer.load(checkpoint: checkpoint, threads: 1)
        let r = try HFExport.write(model, to: outDir)
        for n in r.notes { eprint("note: \(n)") }
        let c = model.config
        print("\(outDir): \(r.architecture.rawValue), \(c.effectiveLayers) layers, d \(c.dModel), \(c.nHeads) heads / \(c.nKVHeads) K/V, vocabulary \(c.vocabSize), context \(c.contextLength)\(c.tiedEmbeddings ? ", tied embeddings" : "")")
    }
}
