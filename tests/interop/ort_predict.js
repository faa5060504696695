// Runs an ONNX model in ONNX Runtime (npm onnxruntime-node, CPU backend) on float32 images and writes the
// outputs as float32: the peer that stag's ONNX export is checked against (tests/interop/ort_check.cpp).
//   node ort_predict.js MODEL.onnx IMAGES.f32 COUNT C H W OUT.f32
// Images are COUNT × C × H × W (NCHW, as the exported graph takes them); H = W = 1 for a flat input.
'use strict';
const fs = require('fs');
const ort = require('onnxruntime-node');

async function main() {
  const [model, imagesPath, countText, c, h, w, outPath] = process.argv.slice(2);
  if (!outPath) throw new Error('usage: node ort_predict.js MODEL.onnx IMAGES.f32 COUNT C H W OUT.f32');
  const count = Number(countText);
  const bytes = fs.readFileSync(imagesPath);
  const images = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  const session = await ort.InferenceSession.create(model, { intraOpNumThreads: 1, graphOptimizationLevel: 'all' });
  const flat = Number(h) === 1 && Number(w) === 1;
  const dims = flat ? [count, Number(c)] : [count, Number(c), Number(h), Number(w)];
  const input = new ort.Tensor('float32', images.subarray(0, dims.reduce((a, b) => a * b, 1)), dims);
  const result = await session.run({ [session.inputNames[0]]: input });
  const output = result[session.outputNames[0]].data;
  fs.writeFileSync(outPath, Buffer.from(output.buffer, output.byteOffset, output.byteLength));
}

main().catch((e) => {
  console.error(`ort_predict: ${e.message}`);
  process.exit(1);
});
