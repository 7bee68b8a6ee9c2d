"""The conv_benchmark autoencoder in PyTorch: median samples/s of one training step.

Same architecture (Conv2d 1->32->64 k3 s2 p1, ConvTranspose2d 64->32->1 k3 s2 p1 op1, ReLU,
sigmoid), MSE, Adam, batch 128, on random images. Prints one line: RESULT {json}.
"""
import json
import statistics
import sys
import time

import torch

threads = int(sys.argv[1]) if len(sys.argv) > 1 else 2
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 20
torch.set_num_threads(threads)
torch.manual_seed(1)
net = torch.nn.Sequential(
    torch.nn.Conv2d(1, 32, 3, 2, 1), torch.nn.ReLU(),
    torch.nn.Conv2d(32, 64, 3, 2, 1), torch.nn.ReLU(),
    torch.nn.ConvTranspose2d(64, 32, 3, 2, 1, 1), torch.nn.ReLU(),
    torch.nn.ConvTranspose2d(32, 1, 3, 2, 1, 1), torch.nn.Sigmoid(),
)
adam = torch.optim.Adam(net.parameters(), lr=1e-3)
images = torch.rand(128, 1, 28, 28)


def step():
    adam.zero_grad()
    loss = torch.nn.functional.mse_loss(net(images), images)
    loss.backward()
    adam.step()


step()
times = []
for _ in range(steps):
    start = time.perf_counter()
    step()
    times.append(time.perf_counter() - start)
median = statistics.median(times)
print(f"pytorch {torch.__version__}, {threads} thread(s): training step {median * 1e3:.2f} ms, "
      f"{128 / median:.0f} samples/s")
print("RESULT " + json.dumps({"threads": threads, "train_samples_per_second": 128 / median}))
