"""train.py --init: a model in a new up-path shape starts from another's weights where they carry over."""
import os
import sys
import tempfile
import unittest

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from export import training_steps  # noqa: E402
from model import UNet  # noqa: E402
from warm_start import warm_start  # noqa: E402


class WarmStartTest(unittest.TestCase):
    def setUp(self):
        torch.manual_seed(0)
        self.old = UNet(in_ch=3, base=8, mults=(1, 2), num_classes=0, label_groups=[4, 2])
        self.new = UNet(in_ch=3, base=8, mults=(1, 2), num_classes=0, label_groups=[4, 2], up_merge="1x1")

    def test_same_shape_copies_everything(self):
        twin = UNet(in_ch=3, base=8, mults=(1, 2), num_classes=0, label_groups=[4, 2])
        self.assertEqual(warm_start(twin, self.old.state_dict()), [])
        for name, value in self.old.state_dict().items():
            self.assertTrue(torch.equal(twin.state_dict()[name], value), name)

    def test_merge_takes_the_skip_conv_and_only_the_first_norm_and_conv_start_fresh(self):
        before = {k: v.clone() for k, v in self.new.state_dict().items()}
        fresh = warm_start(self.new, self.old.state_dict())
        up_blocks = [i for i, m in enumerate(self.new.up) if hasattr(m, "merge")]
        self.assertEqual(fresh, sorted(f"up.{i}.{p}" for i in up_blocks
                                       for p in ("conv1.weight", "norm1.weight", "norm1.bias")))
        new, old = self.new.state_dict(), self.old.state_dict()
        for i in up_blocks:
            self.assertTrue(torch.equal(new[f"up.{i}.merge.weight"], old[f"up.{i}.skip.weight"]))
            self.assertTrue(torch.equal(new[f"up.{i}.conv2.weight"], old[f"up.{i}.conv2.weight"]))
        for name in fresh:
            self.assertTrue(torch.equal(new[name], before[name]), name)
        for name in set(new) - set(fresh) - {k for k in new if ".merge." in k}:
            self.assertTrue(torch.equal(new[name], old[name]), name)


class ManifestStepsTest(unittest.TestCase):
    def test_a_warm_started_run_counts_both_runs_steps(self):
        self.assertEqual(training_steps(300, {}), "300 training steps")
        with tempfile.TemporaryDirectory() as tmp:
            before = os.path.join(tmp, "checkpoint.pt")
            torch.save({"step": 1200}, before)
            self.assertEqual(training_steps(300, {"init": before}),
                             "1500 training steps: 300 after a warm start from a 1200-step model")
        with self.assertRaisesRegex(SystemExit, "put it back at that path"):
            training_steps(300, {"init": before})


if __name__ == "__main__":
    unittest.main()
