"""Starts a run from another run's weights (train.py --init), for retraining a built-in model in a new
shape without starting from noise."""


def warm_start(model, state):
    """Copies into `model` every tensor of `state` (a state dict) whose name and shape match.

    An up-path block that merges its skip concatenation with a 1×1 conv (UNet up_merge "1x1") takes a
    concatenating block's skip conv as its merge: both are the same cin→cout 1×1 map of the same
    concatenated input, so the block's residual path starts where the old one was. Only its first norm and
    3×3 conv, which now read cout channels instead of cin, start fresh.

    Returns the names of `model`'s tensors left at their fresh initialisation."""
    own = model.state_dict()
    source = dict(state)
    for name in own:
        if name.endswith(("merge.weight", "merge.bias")):
            skip = name.replace("merge.", "skip.")
            if skip in source and name not in source:
                source[name] = source[skip]
    loaded = {k: v for k, v in source.items() if k in own and own[k].shape == v.shape}
    model.load_state_dict(loaded, strict=False)
    return sorted(set(own) - set(loaded))
