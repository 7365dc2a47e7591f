"""Writes schedule-numpy.json from training/diffusion.py (run from the repository root:
/usr/bin/python3 test/vectors/make-schedule-numpy.py). The TypeScript core is tested against it."""
import json, sys
sys.path.insert(0, 'training')
from diffusion import timesteps, make_betas
import numpy as np
cases = []
for T in (1000, 1024, 500, 77):
    for n in (1, 2, 3, 7, 10, 20, 25, 33, 50, 64, 100, 333, T):
        if n > T: continue
        for sp in ('leading', 'trailing', 'linspace'):
            cases.append({"trainSteps": T, "steps": n, "spacing": sp, "timesteps": timesteps(T, n, sp)})
ab = {}
for kind, b0, b1 in (("linear", 1e-4, 0.02), ("scaled-linear", 0.00085, 0.012), ("cosine", 1e-4, 0.02)):
    a = np.cumprod(1 - make_betas(kind, b0, b1, 1000))
    ab[kind] = {"betaStart": b0, "betaEnd": b1, "trainSteps": 1000, "alphaBarAt": {str(t): float(a[t]) for t in (0, 1, 10, 100, 250, 500, 750, 900, 990, 998, 999)}}
json.dump({"description": "Timestep spacings and ᾱ_t from training/diffusion.py (numpy): the TypeScript core must agree.", "timesteps": cases, "schedules": ab}, open('test/vectors/schedule-numpy.json', 'w'), indent=None)
print(len(cases))
