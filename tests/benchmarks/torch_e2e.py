"""The image E2E-ConvA3 of a CA3 preset, rebuilt layer for layer in PyTorch (Debian python3-torch):
median samples/s of one end-to-end training step (forward, loss, backward, Adam) on real
Fashion-MNIST images (class 0 normal, the rest anomalies). Prints one line: RESULT {json}.

    torch_e2e.py PRESET.json [threads] [steps]
"""
import gzip
import json
import statistics
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

preset = json.load(open(sys.argv[1]))
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 2
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 10
torch.set_num_threads(threads)
torch.manual_seed(0)
m, t, img = preset["model"], preset["training"], preset["image"]
H, W, C = img["height"], img["width"], img["channels"]
enc, alarm = m["encoderChannels"], m["alarmChannels"]
gamma, beta, vae = m["gamma"], m["beta"], m["variational"]
batch = t["batchSize"]


class E2E(nn.Module):
    def __init__(self):
        super().__init__()
        self.convs, self.norms = nn.ModuleList(), nn.ModuleList()
        c_in, sizes = C, [(H, W)]
        for c in enc:
            self.convs.append(nn.Conv2d(c_in, c, 3, 1, 1))
            self.norms.append(nn.BatchNorm2d(c))
            sizes.append((sizes[-1][0] // 2, sizes[-1][1] // 2))
            c_in = c
        if vae:
            self.mu, self.log_var = nn.Conv2d(enc[-1], enc[-1], 1), nn.Conv2d(enc[-1], enc[-1], 1)
        self.deconvs, self.dnorms = nn.ModuleList(), nn.ModuleList()
        L = len(enc)
        for j in range(L):
            f, to = enc[L - 1] if j == 0 else enc[L - j], enc[L - 1 - j]
            (ih, iw), (oh, ow) = sizes[L - j], sizes[L - 1 - j]
            pad = 1 if oh == 2 * ih else 0
            self.deconvs.append(nn.ConvTranspose2d(f, to, 3, 2, pad, pad))
            self.dnorms.append(nn.BatchNorm2d(to))
        self.out = nn.ConvTranspose2d(enc[0], C, 3, 1, 1)
        self.aconvs, self.apool = nn.ModuleList(), []
        a_in, (h, w) = sum(enc), sizes[L - 1]
        for c in alarm:
            self.aconvs.append(nn.Conv2d(a_in, c, 3, 1, 1))
            p = h >= 2 and w >= 2
            self.apool.append(p)
            if p:
                h, w = h // 2, w // 2
            a_in = c
        self.alarm_out = nn.Linear(a_in * h * w, 1)

    def encode(self, x):
        """The encoder: its last output and every conv activation (what the alarm reads)."""
        acts = []
        for conv, norm in zip(self.convs, self.norms):
            a = F.relu(conv(x))
            acts.append(a)
            x = norm(F.max_pool2d(a, 2))
        return x, acts

    def alarm(self, acts):
        size = acts[-1].shape[2:]
        h = torch.cat([F.adaptive_max_pool2d(a, size) for a in acts], 1)
        for conv, p in zip(self.aconvs, self.apool):
            h = F.relu(conv(h))
            if p:
                h = F.max_pool2d(h, 2)
        return self.alarm_out(h.flatten(1))

    def score(self, x):
        # What scoring needs: encoder + alarm (as CA3 scores), in eval mode without gradients.
        return torch.sigmoid(self.alarm(self.encode(x)[1]))

    def forward(self, x):
        x, acts = self.encode(x)
        mu = log_var = None
        z = x
        if vae:
            mu, log_var = self.mu(x), self.log_var(x)
            z = mu + torch.exp(0.5 * log_var) * torch.randn_like(mu)
        y = z
        for deconv, norm in zip(self.deconvs, self.dnorms):
            y = norm(F.relu(deconv(y)))
        rec = torch.sigmoid(self.out(y))
        return rec, mu, log_var, self.alarm(acts)


def read_idx(path, count, offset):
    with gzip.open(path) as f:
        data = f.read()
    return np.frombuffer(data, np.uint8, count, offset)


n = batch
pixels = read_idx("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz", n * 784, 16)
x = torch.tensor(pixels.reshape(n, 1, 28, 28) / 255.0, dtype=torch.float32)
y = torch.tensor((read_idx("/usr/share/datasets/fashion-mnist/train-labels-idx1-ubyte.gz", n, 8) != 0)
                 .astype(np.float32))
net = E2E()
adam = torch.optim.Adam(net.parameters(), lr=t["learningRate"])


def step():
    adam.zero_grad()
    rec, mu, log_var, logits = net(x)
    per = ((rec - x) ** 2).flatten(1).mean(1)
    if vae:
        kl = -0.5 * (1 + log_var - mu ** 2 - log_var.exp()).flatten(1).sum(1) / mu[0].numel()
        per = per + beta * kl
    loss = (per * (1 - y) + gamma * F.binary_cross_entropy_with_logits(logits[:, 0], y, reduction="none")).mean()
    loss.backward()
    adam.step()


for _ in range(2):
    step()
times = []
for _ in range(steps):
    start = time.perf_counter()
    step()
    times.append(time.perf_counter() - start)
median = statistics.median(times)


def seconds(body):
    start = time.perf_counter()
    body()
    return time.perf_counter() - start


net.eval()
with torch.no_grad():
    batch_median = statistics.median(seconds(lambda: net.score(x)) for _ in range(5))
    one = x[:1].clone()
    for _ in range(10):
        net.score(one)
    one_median = statistics.median(seconds(lambda: net.score(one)) for _ in range(200))
print("RESULT " + json.dumps({"preset": preset["name"], "batch": n, "threads": threads,
                              "train_samples_per_second": n / median, "score_images_per_second": n / batch_median,
                              "score_one_image_ms": 1000 * one_median, "torch": torch.__version__}))
