"""The U-Net's up-path options and export.py's graph rewrites (bench/ARCH-STUDY.md): the defaults keep the
shipped shape, bad names are errors, and each exported graph matches PyTorch under onnxruntime-node."""
import base64
import json
import os
import subprocess
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(HERE, ".."))
import onnx_graphs  # noqa: E402
from export import example_inputs, export_onnx  # noqa: E402
from model import UNet  # noqa: E402

SHAPE = (1, 28, 28)
OPTIONS = [{}, {"up_conv": "separable"}, {"up_merge": "1x1"}, {"up_sample": "conv-before"}, {"up_top_blocks": 1},
           {"up_merge": "1x1", "up_sample": "conv-before"}]

# Runs each model on the same inputs in onnxruntime-node; stdin and stdout are JSON, arrays base64 float32.
ORT_SCRIPT = """
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
const req = JSON.parse(readFileSync(0, 'utf8'));
const f32 = (s) => new Float32Array(new Uint8Array(Buffer.from(s, 'base64')).buffer);
const big = (a) => BigInt64Array.from(a.map(BigInt));
const out = [];
for (const path of req.paths) {
  const session = await ort.InferenceSession.create(path);
  const r = await session.run({ x: new ort.Tensor('float32', f32(req.x), req.shape),
    t: new ort.Tensor('int64', big(req.t), [req.t.length]), y: new ort.Tensor('int64', big(req.y), [req.y.length]) });
  out.push(Buffer.from(r.eps.data.buffer, r.eps.data.byteOffset, r.eps.data.byteLength).toString('base64'));
}
process.stdout.write(JSON.stringify(out));
"""


def ort_node(paths, x, t, y):
    req = {"paths": paths, "shape": list(x.shape), "x": base64.b64encode(x.numpy().astype("<f4").tobytes()).decode(),
           "t": t.tolist(), "y": y.tolist()}
    done = subprocess.run(["node", "--input-type=module", "-e", ORT_SCRIPT], input=json.dumps(req), cwd=ROOT,
                          capture_output=True, text=True, check=True)
    return [np.frombuffer(base64.b64decode(s), "<f4").reshape(x.shape) for s in json.loads(done.stdout)]


def tiny(affine="random", **options):
    """A small U-Net; affine "random" moves GroupNorm's γ and β away from 1 and 0, so a lost affine
    would show; "init" keeps them equal, which torch's export shares through Identity nodes."""
    torch.manual_seed(0)
    model = UNet(in_ch=1, base=8, mults=(1, 2), **options).eval()
    for m in model.modules():
        if affine == "random" and isinstance(m, torch.nn.GroupNorm):
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.3, 0.3)
    return model


class UpPathOptionsTest(unittest.TestCase):
    def test_defaults_are_the_shipped_shape(self):
        model = UNet(in_ch=1, base=16, mults=(1, 2, 4), blocks=1, num_classes=10)
        self.assertEqual(sum(p.numel() for p in model.parameters()), 637169)  # fashion-28, training/README.md
        self.assertFalse(any("merge" in k for k in model.state_dict()))

    def test_each_option_runs_and_conv_before_keeps_the_parameters(self):
        counts = {}
        for options in OPTIONS:
            model = tiny(**options)
            with torch.no_grad():
                eps = model(torch.randn(2, *SHAPE), torch.tensor([3, 900]), torch.tensor([0, 10]))
            self.assertEqual(tuple(eps.shape), (2, *SHAPE))
            counts[json.dumps(options)] = sum(p.numel() for p in model.parameters())
        self.assertEqual(counts['{"up_sample": "conv-before"}'], counts["{}"])
        self.assertLess(counts['{"up_conv": "separable"}'], counts["{}"])

    def test_bad_names_are_errors_that_list_the_choices(self):
        for bad, field in [({"up_conv": "depthwise"}, "up_conv"), ({"up_merge": "add"}, "up_merge"),
                           ({"up_sample": "after"}, "up_sample"), ({"up_top_blocks": 0}, "up_top_blocks")]:
            with self.assertRaises(ValueError) as e:
                UNet(in_ch=1, base=8, mults=(1, 2), **bad)
            self.assertIn(field, str(e.exception))
        with self.assertRaisesRegex(ValueError, "fp32, fp16, int8-dynamic"):
            onnx_graphs.rewrite(onnx.ModelProto(), weights="int4")


class ExportedGraphsTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.x, cls.t, cls.y = example_inputs({}, SHAPE, 4)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def export(self, name, model):
        path = os.path.join(self.tmp.name, f"{name}.onnx")
        export_onnx(model, path, {}, SHAPE)
        return path

    def test_up_path_options_match_pytorch(self):
        models = [tiny(**o) for o in OPTIONS]
        paths = [self.export(f"up{i}", m) for i, m in enumerate(models)]
        for model, got in zip(models, ort_node(paths, self.x, self.t, self.y)):
            with torch.no_grad():
                want = model(self.x, self.t, self.y).numpy()
            self.assertLess(np.abs(got - want).max(), 1e-4)

    def test_graph_rewrites_match_pytorch(self):
        self.check_rewrites(tiny())

    def test_graph_rewrites_follow_shared_initializers(self):
        self.check_rewrites(tiny(affine="init"))

    def check_rewrites(self, model):
        base = onnx.load(self.export("base", model))
        norms = sum(isinstance(m, torch.nn.GroupNorm) for m in model.modules())
        convs = sum(n.op_type == "Conv" for n in base.graph.node)
        # (norm, weights) → (tolerance against PyTorch, op counts the rewritten graph must have)
        cases = {("groupnorm-18", "fp32"): (1e-4, {"GroupNormalization": norms, "InstanceNormalization": 0}),
                 ("groupnorm-21", "fp32"): (1e-4, {"GroupNormalization": norms, "InstanceNormalization": 0}),
                 ("reshape-instancenorm", "fp16"): (2e-2, {"Conv": convs}),
                 ("reshape-instancenorm", "int8-dynamic"): (0.3, {"Conv": 0, "ConvInteger": convs})}
        paths = []
        for (norm, weights), (_, ops) in cases.items():
            g = onnx_graphs.rewrite(base, norm, weights)
            for op, n in ops.items():
                self.assertEqual(sum(node.op_type == op for node in g.graph.node), n, f"{norm} {weights}: {op}")
            paths.append(os.path.join(self.tmp.name, f"{norm}-{weights}.onnx"))
            onnx.save(g, paths[-1])
        with torch.no_grad():
            want = model(self.x, self.t, self.y).numpy()
        for ((norm, weights), (tol, _)), got in zip(cases.items(), ort_node(paths, self.x, self.t, self.y)):
            self.assertLess(np.abs(got - want).max(), tol, f"{norm} {weights}")


if __name__ == "__main__":
    unittest.main()
