"""Rewrites of an exported U-Net graph for CPU speed (bench/ARCH-STUDY.md), each a function of an
onnx.ModelProto that returns a new one; export.py applies them with --norm and --weights.

- groupnorm: torch 1.13 exports nn.GroupNorm as Reshape [N, G, -1] → InstanceNormalization → Reshape
  back → Mul γ → Add β; this puts one GroupNormalization node in its place. Opset 18's op takes a
  scale and bias per group (ones and zeros here, γ and β stay as Mul and Add); opset 21's takes them per
  channel, as PyTorch does, so γ and β move into the node.
- fp16_weights: float initializers stored as float16, each behind a Cast to float32 that the runtime
  folds when it loads the model: half the file, the same arithmetic on rounded weights.
- int8_dynamic: every Conv with constant weights as onnxruntime.quantization.quantize_dynamic writes
  it (that package is not at hand here): the weights uint8 per tensor (asymmetric), the input quantized
  at run time by DynamicQuantizeLinear, ConvInteger, then the float scale and the bias.

The graph is edited with onnx 1.12 (Debian's), which knows opsets up to 17: the rewritten models are
checked by running them (onnxruntime), not by onnx.checker."""
import numpy as np
import onnx
from onnx import helper, numpy_helper, TensorProto

NORMS = ("reshape-instancenorm", "groupnorm-18", "groupnorm-21")
WEIGHTS = ("fp32", "fp16", "int8-dynamic")


def constants(model):
    """Values of initializers and Constant nodes, by output name, also through the Identity nodes by
    which torch's export shares equal initializers."""
    values = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    for n in model.graph.node:
        if n.op_type == "Constant":
            values[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
        elif n.op_type == "Identity" and n.input[0] in values:
            values[n.output[0]] = values[n.input[0]]
    return values


def consumers(model):
    used = {}
    for n in model.graph.node:
        for i in n.input:
            used.setdefault(i, []).append(n)
    return used


def set_opset(model, version):
    for o in model.opset_import:
        if o.domain in ("", "ai.onnx"):
            o.version = version


def only(nodes, op_type, where):
    if len(nodes or []) != 1 or nodes[0].op_type != op_type:
        raise ValueError(f"groupnorm: {where} is not followed by exactly one {op_type}")
    return nodes[0]


def groupnorm(model, opset):
    """One GroupNormalization (opset 18 or 21) per exported Reshape → InstanceNormalization pattern."""
    if opset not in (18, 21):
        raise ValueError(f"groupnorm: opset {opset} is not 18 or 21")
    model = onnx.ModelProto.FromString(model.SerializeToString())
    values, used = constants(model), consumers(model)
    producer = {o: n for n in model.graph.node for o in n.output}
    drop, new_inits, count = set(), [], 0
    for inorm in [n for n in model.graph.node if n.op_type == "InstanceNormalization"]:
        pre = producer[inorm.input[0]]
        groups = int(values[pre.input[1]][1])
        x = pre.input[0]
        post = only(used[inorm.output[0]], "Reshape", inorm.name)
        mul = only(used[post.output[0]], "Mul", post.name)
        add = only(used[mul.output[0]], "Add", mul.name)
        gamma, beta = values[mul.input[1]], values[add.input[1]]
        eps = helper.get_attribute_value(inorm.attribute[0])
        name = inorm.name.replace("InstanceNormalization", "GroupNormalization")
        if opset == 18:
            scale, bias = np.ones(groups, np.float32), np.zeros(groups, np.float32)
            out, gone = post.output[0], [pre, inorm, post]
        else:
            scale, bias = gamma.reshape(-1).astype(np.float32), beta.reshape(-1).astype(np.float32)
            out, gone = add.output[0], [pre, inorm, post, mul, add]
        new_inits += [numpy_helper.from_array(scale, f"{name}.scale"), numpy_helper.from_array(bias, f"{name}.bias")]
        gn = helper.make_node("GroupNormalization", [x, f"{name}.scale", f"{name}.bias"], [out], name=name,
                              epsilon=eps, num_groups=groups)
        model.graph.node.insert(list(model.graph.node).index(inorm), gn)
        drop.update(id(n) for n in gone)
        count += 1
    keep = [n for n in model.graph.node if id(n) not in drop]
    del model.graph.node[:]
    model.graph.node.extend(keep)
    model.graph.initializer.extend(new_inits)
    prune(model)
    set_opset(model, opset)
    if count == 0:
        raise ValueError("groupnorm: no Reshape → InstanceNormalization pattern in the graph")
    return model


def prune(model):
    """Drops nodes and initializers that no graph output depends on (the Shape nodes of the old pattern)."""
    needed = {o.name for o in model.graph.output}
    keep = []
    for n in reversed(list(model.graph.node)):
        if any(o in needed for o in n.output):
            keep.append(n)
            needed.update(n.input)
    del model.graph.node[:]
    model.graph.node.extend(reversed(keep))
    inits = [t for t in model.graph.initializer if t.name in needed]
    del model.graph.initializer[:]
    model.graph.initializer.extend(inits)


def fp16_weights(model):
    """Float32 initializers stored as float16 behind a Cast back to float32."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    casts, inits = [], []
    for t in model.graph.initializer:
        a = numpy_helper.to_array(t)
        if a.dtype != np.float32:
            inits.append(t)
            continue
        inits.append(numpy_helper.from_array(a.astype(np.float16), f"{t.name}.fp16"))
        casts.append(helper.make_node("Cast", [f"{t.name}.fp16"], [t.name], name=f"{t.name}.cast", to=TensorProto.FLOAT))
    del model.graph.initializer[:]
    model.graph.initializer.extend(inits)
    nodes = casts + list(model.graph.node)
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    return model


def quantize_uint8(w):
    """Asymmetric per-tensor uint8 (q = round(w / s) + z), with 0 exactly representable."""
    lo, hi = min(0.0, float(w.min())), max(0.0, float(w.max()))
    scale = (hi - lo) / 255 or 1.0
    zero = int(round(-lo / scale))
    q = np.clip(np.round(w / scale) + zero, 0, 255).astype(np.uint8)
    return q, np.float32(scale), np.uint8(zero)


def int8_dynamic(model):
    """Every Conv with constant weights as DynamicQuantizeLinear → ConvInteger → Cast → Mul scale → Add bias."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    values = constants(model)
    nodes, inits = [], []
    for n in model.graph.node:
        if n.op_type != "Conv" or n.input[1] not in values:
            nodes.append(n)
            continue
        p = n.name or n.output[0]
        q, w_scale, w_zero = quantize_uint8(values[n.input[1]])
        cout = q.shape[0]
        inits += [numpy_helper.from_array(q, f"{p}.w_q"), numpy_helper.from_array(np.array(w_zero), f"{p}.w_zero"),
                  numpy_helper.from_array(np.array(w_scale), f"{p}.w_scale")]
        nodes += [
            helper.make_node("DynamicQuantizeLinear", [n.input[0]], [f"{p}.x_q", f"{p}.x_scale", f"{p}.x_zero"],
                             name=f"{p}.quantize"),
            helper.make_node("ConvInteger", [f"{p}.x_q", f"{p}.w_q", f"{p}.x_zero", f"{p}.w_zero"], [f"{p}.acc"],
                             name=f"{p}.conv_integer", **{a.name: helper.get_attribute_value(a) for a in n.attribute}),
            helper.make_node("Cast", [f"{p}.acc"], [f"{p}.acc_f"], name=f"{p}.cast", to=TensorProto.FLOAT),
            helper.make_node("Mul", [f"{p}.x_scale", f"{p}.w_scale"], [f"{p}.scale"], name=f"{p}.scale_mul"),
        ]
        if len(n.input) > 2 and n.input[2]:
            bias = values[n.input[2]].reshape(1, cout, 1, 1).astype(np.float32)
            inits.append(numpy_helper.from_array(bias, f"{p}.bias4"))
            nodes += [helper.make_node("Mul", [f"{p}.acc_f", f"{p}.scale"], [f"{p}.scaled"], name=f"{p}.mul"),
                      helper.make_node("Add", [f"{p}.scaled", f"{p}.bias4"], [n.output[0]], name=f"{p}.add")]
        else:
            nodes.append(helper.make_node("Mul", [f"{p}.acc_f", f"{p}.scale"], [n.output[0]], name=f"{p}.mul"))
    del model.graph.node[:]
    model.graph.node.extend(nodes)
    model.graph.initializer.extend(inits)
    prune(model)
    return model


def rewrite(model, norm="reshape-instancenorm", weights="fp32"):
    """The graph with export.py's --norm and --weights applied (the defaults leave it as exported)."""
    if norm not in NORMS:
        raise ValueError(f"norm: {norm!r} is not one of {', '.join(NORMS)}")
    if weights not in WEIGHTS:
        raise ValueError(f"weights: {weights!r} is not one of {', '.join(WEIGHTS)}")
    if norm != "reshape-instancenorm":
        model = groupnorm(model, int(norm.rsplit("-", 1)[1]))
    if weights == "fp16":
        model = fp16_weights(model)
    elif weights == "int8-dynamic":
        model = int8_dynamic(model)
    return model
