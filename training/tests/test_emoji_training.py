"""Unit tests of the emoji training pieces: label-group dropout, shift augmentation, the groups U-Net."""
import os
import sys
import unittest
from types import SimpleNamespace

import torch

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from model import UNet  # noqa: E402
from batches import augment, drop_labels  # noqa: E402

NULL = torch.tensor([8, 3])


class DropLabelsTest(unittest.TestCase):
    def drop(self, p_uncond, p_group, n=100_000):
        y = torch.stack([torch.randint(0, 8, (n,)), torch.randint(0, 3, (n,))], 1)
        a = SimpleNamespace(p_uncond=p_uncond, p_drop_group=p_group)
        return y, drop_labels(y, NULL, a, torch.Generator().manual_seed(0))

    def test_groups_drop_alone_and_together(self):
        _, out = self.drop(0.1, 0.1)
        null = out == NULL
        # a group is null with 0.1 + 0.9·0.1 = 0.19; both with 0.1 + 0.9·0.01 = 0.109
        for g in range(2):
            self.assertAlmostEqual(null[:, g].float().mean().item(), 0.19, delta=0.005)
        self.assertAlmostEqual(null.all(1).float().mean().item(), 0.109, delta=0.005)

    def test_kept_labels_are_unchanged(self):
        y, out = self.drop(0.0, 0.0, n=1000)
        self.assertTrue(torch.equal(y, out))

    def test_single_class_labels_drop_to_their_null(self):
        y = torch.arange(10).repeat(100)
        out = drop_labels(y, 10, SimpleNamespace(p_uncond=1.0, p_drop_group=0.0), torch.Generator())
        self.assertTrue(bool((out == 10).all()))


class ShiftTest(unittest.TestCase):
    def test_shift_moves_by_at_most_one_pixel_on_white(self):
        x = torch.ones(16, 3, 32, 32)
        x[:, :, 15, 15] = -1.0  # one dark pixel in a white image
        out = augment(x, "shift", torch.Generator().manual_seed(0))
        self.assertEqual(out.shape, x.shape)
        for im in out:
            ys, xs = torch.nonzero(im[0] < 0, as_tuple=True)
            self.assertEqual(len(ys), 1)
            self.assertLessEqual(abs(int(ys[0]) - 15), 1)
            self.assertLessEqual(abs(int(xs[0]) - 15), 1)
            self.assertEqual(int((im > 0.999).sum()), 3 * 32 * 32 - 3)


class GroupsUNetTest(unittest.TestCase):
    def test_missing_labels_mean_every_group_null(self):
        torch.manual_seed(0)
        m = UNet(in_ch=3, base=8, mults=(1, 2, 2), num_classes=0, label_groups=[8, 3]).eval()
        x, t = torch.randn(2, 3, 32, 32), torch.tensor([5, 900])
        with torch.no_grad():
            self.assertTrue(torch.allclose(m(x, t), m(x, t, NULL.expand(2, -1))))
            self.assertFalse(torch.allclose(m(x, t, torch.tensor([[1, 0], [1, 0]])), m(x, t)))


if __name__ == "__main__":
    unittest.main()
