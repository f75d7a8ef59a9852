// Runs an ONNX model with ONNX Runtime (CPU): node run_onnx.js MODEL OUT_DIR NAME=FILE...
// Each FILE holds the raw little-endian bytes of graph input NAME (ONNX order); every graph output
// is written to OUT_DIR/<index>.bin in the model's output order, and OUT_DIR/outputs.json names
// them. Graph optimisations are off, so ONNX Runtime computes the operators as the file has them.
const fs = require('fs');
const path = require('path');
const ort = require(path.join(__dirname, 'node_modules', 'onnxruntime-node'));

const kTypes = {float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int32: Int32Array, int64: BigInt64Array};

async function main() {
  const [model, outDir, ...specs] = process.argv.slice(2);
  // logSeverityLevel 3: errors only (not the warning about initializers listed as graph inputs).
  const session = await ort.InferenceSession.create(model, {graphOptimizationLevel: 'disabled', logSeverityLevel: 3});
  const feeds = {};
  const meta = session.inputMetadata || [];
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    const name = spec.slice(0, eq);
    const bytes = fs.readFileSync(spec.slice(eq + 1));
    const info = meta.find((m) => m.name === name) || {};
    const type = info.type || 'float32';
    const dims = (info.shape || []).map((d) => (typeof d === 'number' && d > 0 ? d : 1));
    const Array = kTypes[type];
    const data = new Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
    feeds[name] = new ort.Tensor(type, data, dims);
  }
  const results = await session.run(feeds);
  fs.mkdirSync(outDir, {recursive: true});
  const names = [];
  session.outputNames.forEach((name, i) => {
    const t = results[name];
    fs.writeFileSync(path.join(outDir, `${i}.bin`), Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    names.push({name, type: t.type, dims: t.dims});
  });
  fs.writeFileSync(path.join(outDir, 'outputs.json'), JSON.stringify(names));
}

main().catch((e) => {
  console.error(`run_onnx.js: ${e.message}`);
  process.exit(1);
});
