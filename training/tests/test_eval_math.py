"""Unit tests of the evaluation math: Fréchet distance, timestep spacing, schedules."""
import os
import sys
import unittest

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, ".."))
sys.path.insert(0, os.path.join(HERE, "..", "eval"))
from diffusion import make_betas, timesteps  # noqa: E402
from evaluate import frechet, key, parse_key  # noqa: E402


class SettingKeyTest(unittest.TestCase):
    def test_keys_round_trip(self):
        for st in [("euler-a", 50, 3.0), ("ddpm", 1000, 0.0), ("dpmpp-2m", 20, 1.5), ("ddpm-beta", 100, 1.0)]:
            self.assertEqual(parse_key(key(*st)), st)

    def test_other_text_is_not_a_setting(self):
        for k in ["heun-20-w3", "ddpm-w3", "ddim-50-w", "ddim-50-w3 ", "dpmpp-2m-x-w1"]:
            self.assertIsNone(parse_key(k))


class FrechetTest(unittest.TestCase):
    def test_identical_sets_have_zero_distance(self):
        f = np.random.default_rng(0).normal(size=(2000, 8))
        self.assertAlmostEqual(frechet(f, f), 0.0, places=6)

    def test_mean_shift_adds_its_squared_norm(self):
        f = np.random.default_rng(1).normal(size=(2000, 8))
        shift = np.arange(8) * 0.1
        self.assertAlmostEqual(frechet(f, f + shift), float((shift ** 2).sum()), places=6)

    def test_scaled_gaussians_match_the_closed_form(self):
        # N(0, I) vs N(0, 4 I) in d dims: d (1 + 4 - 2·2) = d.
        rng = np.random.default_rng(2)
        a, b = rng.normal(size=(200000, 4)), 2 * rng.normal(size=(200000, 4))
        self.assertAlmostEqual(frechet(a, b), 4.0, delta=0.1)


class ScheduleTest(unittest.TestCase):
    def test_linear_alpha_bar_golden_value(self):
        alpha_bar = np.cumprod(1 - make_betas("linear", 1e-4, 0.02, 1000))
        self.assertAlmostEqual(alpha_bar[-1], 4.04e-5, delta=0.01e-5)

    def test_spacings_follow_diffusers(self):
        self.assertEqual(timesteps(1000, 10, "trailing"), [999, 899, 799, 699, 599, 499, 399, 299, 199, 99])
        self.assertEqual(timesteps(1000, 10, "leading"), [900, 800, 700, 600, 500, 400, 300, 200, 100, 0])
        self.assertEqual(timesteps(1000, 4, "linspace"), [999, 666, 333, 0])


if __name__ == "__main__":
    unittest.main()
