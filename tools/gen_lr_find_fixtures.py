"""Regenerate test/fixtures/lr-find.json: fastai's LR range test (fastai/callback/schedule.py,
LRFinder, lr_find and its suggestion functions valley, slide, minimum and steep; fastai/learner.py's
AvgSmoothLoss and Recorder) transcribed into numpy, run on fixed loss curves.
test/train/lr-find-rules.test.ts compares mn.train's LrSweep and lrSuggestions against it.

What is transcribed (fastai 2.7):
  schedule   lr_i = SchedExp(start, end)(i / num_it) = start * (end/start) ** (i/num_it) before batch i
             (i = 0, 1, ...), SchedLin for mode "linear" (start + pos * (end - start))
  smoothing  AvgSmoothLoss(beta): val = torch.lerp(loss, val, beta), value = val / (1 - beta ** count);
             torch.lerp with a weight >= 0.5 computes end - (end - start) * (1 - weight)
  recording  Recorder.after_batch appends (lr, smoothed loss) after every batch
  stopping   LRFinder.after_batch: best = min(best, smoothed); stop when smoothed > stop_div * best
             (fastai: 4, stop_div=True), else after num_it batches
  suggest    lr_find: lrs[num_it//10 : -5] and losses (the smoothed ones) likewise, cut at the first NaN;
             each rule returns (suggested lr, (lr, loss) of the point it marks)

The rules are run in float64 (fastai's tensors are float32); Python's negative indexing is kept where
fastai relies on it (valley's index can be -1 on a curve that only falls). The curves avoid exact ties
between slopes (steep's argmin would then follow the last bit of two log implementations). A rule that fastai cannot
apply to a curve that short (IndexError or an empty argmin) is recorded as null.

Every case holds its raw losses (the string "NaN" for a NaN), and the expected lrs, raw and smoothed
losses as recorded, the stop ("diverged" or "numIt") and the suggestions. Suggestion-only cases hold a
recorded curve (lrs, losses, numIt) and the suggestions.

Usage, from the repository root:   /usr/bin/python3 tools/gen_lr_find_fixtures.py
(Debian's numpy 1.24). Deterministic: the noise comes from numpy.random.RandomState seeds.
"""

import json
import math
import os

import numpy as np

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "fixtures")


def lerp(start, end, weight):
    """torch.lerp's formula (aten/src/ATen/native/Lerp.h)."""
    return start + weight * (end - start) if abs(weight) < 0.5 else end - (end - start) * (1 - weight)


def sweep(raw, start_lr, end_lr, num_it, mode, stop_div, beta):
    """LRFinder + Recorder + AvgSmoothLoss: the lrs, raw and smoothed losses recorded, and why it stopped."""
    lrs, losses, smoothed = [], [], []
    val, count, best = 0.0, 0, math.inf
    for i in range(len(raw)):
        pos = i / num_it
        lr = start_lr * (end_lr / start_lr) ** pos if mode == "exp" else start_lr + pos * (end_lr - start_lr)
        loss = raw[i]
        count += 1
        val = lerp(loss, val, beta)
        s = val / (1 - beta ** count)
        lrs.append(lr)
        losses.append(loss)
        smoothed.append(s)
        if s < best:
            best = s
        if stop_div is not None and s > stop_div * best:
            return lrs, losses, smoothed, "diverged"
        if i + 1 >= num_it:
            return lrs, losses, smoothed, "numIt"
    raise ValueError("the raw curve ended before the sweep did")


def valley(lrs, losses):
    n = len(losses)
    max_start, max_end = 0, 0
    lds = [1] * n
    for i in range(1, n):
        for j in range(0, i):
            if (losses[i] < losses[j]) and (lds[i] < lds[j] + 1):
                lds[i] = lds[j] + 1
            if lds[max_end] < lds[i]:
                max_end = i
                max_start = max_end - lds[max_end]
    sections = (max_end - max_start) / 3
    idx = max_start + int(sections) + int(sections / 2)
    return float(lrs[idx]), (float(lrs[idx]), float(losses[idx]))


def slide(lrs, losses, lr_diff=15, thresh=.005, adjust_value=1.):
    loss_grad = np.gradient(losses)
    r_idx = -1
    l_idx = r_idx - lr_diff
    local_min_lr = lrs[l_idx]
    while (l_idx >= -len(losses)) and (abs(loss_grad[r_idx] - loss_grad[l_idx]) > thresh):
        local_min_lr = lrs[l_idx]
        r_idx -= 1
        l_idx -= 1
    suggestion = float(local_min_lr) * adjust_value
    loss = np.interp(np.log10(suggestion), np.log10(lrs), losses)
    return suggestion, (suggestion, float(loss))


def minimum(lrs, losses):
    lr_min = float(lrs[losses.argmin()])
    loss = losses[min(range(len(lrs)), key=lambda i: abs(lrs[i] - lr_min))]
    return lr_min / 10, (lr_min, float(loss))


def steep(lrs, losses):
    grads = (losses[1:] - losses[:-1]) / (np.log(lrs[1:]) - np.log(lrs[:-1]))
    lr_steep = float(lrs[grads.argmin()])
    loss = losses[min(range(len(lrs)), key=lambda i: abs(lrs[i] - lr_steep))]
    return lr_steep, (lr_steep, float(loss))


RULES = {"valley": valley, "slide": slide, "minimum": minimum, "steep": steep}


def suggestions(lrs, losses, num_it):
    """lr_find's cut ([num_it//10 : -5], then up to the first NaN) and every rule; null where fastai would fail."""
    lrs, losses = np.array(lrs[num_it // 10:-5], dtype=np.float64), np.array(losses[num_it // 10:-5], dtype=np.float64)
    nan = np.nonzero(np.isnan(losses))[0]
    if len(nan) > 0:
        lrs, losses = lrs[:nan[0]], losses[:nan[0]]
    out = {}
    for name, rule in RULES.items():
        try:
            lr, (plr, ploss) = rule(lrs, losses)
            out[name] = {"lr": lr, "point": [plr, ploss]}
        except (IndexError, ValueError):
            out[name] = None
    return out


def curve(seed, n, noise, blow=1.0, floor=0.3):
    """A range-test-shaped loss over log10(lr) from -7 to 1: flat, falling, a floor, then blowing up; seeded noise."""
    rng = np.random.RandomState(seed)
    t = np.linspace(-7, 1, n)
    loss = 2.3 - (2.3 - floor) / (1 + np.exp(-2.0 * (t + 3.5))) + blow * np.exp(2.2 * (t + 0.8))
    return [float(v) for v in loss * (1 + noise * rng.randn(n))]


def nan_tail(raw, at):
    return raw[:at] + [math.nan] * (len(raw) - at)


def enc(xs):
    return [("NaN" if math.isnan(v) else v) if isinstance(v, float) else v for v in xs]


def sweep_case(desc, raw, start_lr=1e-7, end_lr=10, num_it=100, mode="exp", stop_div=4, beta=0.98):
    lrs, losses, smoothed, stop = sweep(raw, start_lr, end_lr, num_it, mode, stop_div, beta)
    return {
        "desc": desc, "options": {"startLr": start_lr, "endLr": end_lr, "numIt": num_it, "mode": mode, "stopDiv": stop_div, "smoothing": beta},
        "raw": enc(raw), "lrs": lrs, "losses": enc(losses), "smoothed": enc(smoothed), "stop": stop,
        "suggestions": suggestions(lrs, smoothed, num_it),
    }


def rule_case(desc, lrs, losses, num_it):
    return {"desc": desc, "lrs": lrs, "losses": enc(losses), "numIt": num_it, "suggestions": suggestions(lrs, losses, num_it)}


def main():
    sweeps = [
        sweep_case("a noisy range-test curve that diverges (stop at 4x the best)", curve(0, 100, 0.05)),
        sweep_case("the same shape without noise", curve(1, 100, 0.0)),
        sweep_case("a curve that never diverges: all num_it batches", curve(2, 100, 0.02, blow=0.0)),
        sweep_case("200 iterations from 1e-5 to 1, smoothing 0.9", curve(3, 200, 0.08), start_lr=1e-5, end_lr=1, num_it=200, beta=0.9),
        sweep_case("linear mode from 1e-4 to 2", curve(4, 60, 0.03), start_lr=1e-4, end_lr=2, num_it=60, mode="linear"),
        sweep_case("stop at 2x the best", curve(5, 100, 0.05), stop_div=2),
        sweep_case("NaN from batch 70 on, no divergence stop: the suggestions cut at the first NaN", nan_tail(curve(6, 100, 0.05, blow=0.0), 70), stop_div=None),
        sweep_case("a curve that diverges early: too short for slide", curve(7, 40, 0.03, blow=400.0), num_it=40),
        sweep_case("smoothing 0: the raw losses", curve(8, 50, 0.1), num_it=50, beta=0.0),
    ]
    lrs = [1e-3 * 1.5 ** i for i in range(30)]
    rules = [
        rule_case("a curve that only falls: valley's index is -1 + (n/3) + (n/6) from the start", lrs, [10 - 0.3 * i - 0.001 * i * i for i in range(30)], 10),
        rule_case("two points falling: valley's index is -1, fastai's last point", lrs[:7], [5.0, 4.0, 3.0, 2.5, 2.0, 1.0, 0.5], 8),
        rule_case("a curve that only rises: valley at the first point", lrs, [1 + 0.1 * i + 0.001 * i * i for i in range(30)], 10),
        rule_case("ties in the minimum: the first", lrs, [3, 2.1, 1, 1, 2, 1] + [3 + i + 0.01 * i * i for i in range(24)], 10),
        rule_case("slide walks to the first point", lrs, [math.sin(i) * (i + 1) for i in range(30)], 10),
        rule_case("slide stops at once on a straight line", lrs, [5 - 0.2 * i - 1e-5 * i * i for i in range(30)], 0),
        rule_case("slide needs lr_diff + 1 = 16 points: 16", lrs[:21], [4 - 0.1 * i + 0.01 * i * i for i in range(21)], 0),
        rule_case("slide needs lr_diff + 1 = 16 points: 15 are too few", lrs[:20], [4 - 0.1 * i + 0.01 * i * i for i in range(20)], 0),
        rule_case("a NaN inside the cut", lrs, [5, 4, 2.9, 2, 1.5, 1.2, 1.1, 1.0, math.nan] + [0.5 - 0.01 * i for i in range(21)], 10),
        rule_case("a NaN at the cut's first point: nothing left", lrs, [5, math.nan] + [1.0] * 28, 10),
    ]
    path = os.path.join(FIXTURES, "lr-find.json")
    with open(path, "w") as f:
        json.dump({"numpy": np.__version__, "sweeps": sweeps, "rules": rules}, f, allow_nan=False, separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
