"The GPU paths: the same numbers as on the CPU, where a CUDA device exists (skipped otherwise; CI has none)."
import math

import pytest
import torch

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="no CUDA device")

from ensdiff.ensemble import Ensemble
from ensdiff.metrics import nll_bpd
from ensdiff.nets import DDPMpp, ScoreModel
from ensdiff.poe import sampling_variance
from ensdiff.samplers import ddim, euler_maruyama, pf_ode
from ensdiff.sde import DDPMSchedule, VPSDE
from ensdiff.seeding import generators
from ensdiff.theory import gaussian_score
from ensdiff.train import Trainer, load_checkpoint

CUDA = torch.device("cuda")


@pytest.fixture(autouse=True)
def full_precision():
    "TF32 convolutions and matmuls would make GPU-vs-CPU differences ~1e-3; the comparisons here are at float32."
    conv, mm = torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32
    torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = False
    yield
    torch.backends.cudnn.allow_tf32, torch.backends.cuda.matmul.allow_tf32 = conv, mm


def small_members(K, device):
    torch.manual_seed(0)
    return [ScoreModel(DDPMpp.small(16, init_scale=1.)).eval().to(device) for _ in range(K)]


def test_ensemble_backends_agree_with_the_cpu():
    "loop and vmap on CUDA give the CPU loop's numbers; 'auto' times both on its first call and keeps the faster."
    x = torch.randn(8, 1, 16, 16, generator=torch.Generator().manual_seed(1))
    t = torch.linspace(0.05, 0.95, 8)
    cpu = Ensemble(small_members(3, "cpu")).member_outputs(x, t)
    members = small_members(3, CUDA)
    auto = Ensemble(members, backend="auto")
    assert auto.backend == "auto" and Ensemble(members[:1], backend="auto").backend == "loop"
    with torch.no_grad():
        loop = Ensemble(members, backend="loop").member_outputs(x.to(CUDA), t.to(CUDA))
        batched = Ensemble(members, backend="vmap").member_outputs(x.to(CUDA), t.to(CUDA))
        chosen = auto.member_outputs(x.to(CUDA), t.to(CUDA))
    assert auto.backend == min(auto.timings, key=auto.timings.get) and set(auto.timings) == {"loop", "vmap"}
    assert (auto.batched is None) == (auto.backend == "loop")
    torch.testing.assert_close(loop.cpu(), cpu, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(batched, loop, rtol=1e-4, atol=1e-4)
    torch.testing.assert_close(chosen, loop, rtol=1e-4, atol=1e-4)


def test_euler_maruyama_ensemble_variance_on_cuda():
    "The mean of the exact N(0, 0.25) and N(0, 4) scores samples the variance the PoE notebook predicts for the chain."
    n, sde = 400_000, VPSDE()
    x_T = torch.randn(n, 1, device=CUDA, generator=torch.Generator(CUDA).manual_seed(0))
    x = euler_maruyama(Ensemble([gaussian_score(0.25), gaussian_score(4.)]), sde, x_T, generator=torch.Generator(CUDA).manual_seed(1))
    predicted = float(sampling_variance([0.25, 4.], steps=1000))
    se = predicted * math.sqrt(2 / n)
    assert abs(x.var().item() - predicted) < 4 * se, (x.var().item(), predicted, se)


def test_per_sample_generators_on_cuda():
    "A sample depends on its own generator only, not on its batch."
    sde, seeds = VPSDE(), [3, 4, 5]
    x_T = torch.stack([torch.randn(2, 4, 4, device=CUDA, generator=g) for g in generators(seeds, CUDA)])
    model = gaussian_score(0.5)
    batch = euler_maruyama(model, sde, x_T, steps=50, generator=generators(seeds, CUDA))
    alone = euler_maruyama(model, sde, x_T[1:2], steps=50, generator=generators(seeds[1:2], CUDA))
    torch.testing.assert_close(batch[1:2], alone)


def test_ddim_and_pf_ode_on_cuda():
    "DDIM and the probability-flow ODE accept CUDA states and return the N(0, 0.5) variance of their CPU tests."
    sde, x_T = VPSDE(), torch.randn(2000, 64, device=CUDA, generator=torch.Generator(CUDA).manual_seed(2))
    model = gaussian_score(0.5)
    x, nfe = pf_ode(model, sde, x_T)
    assert x.device.type == "cuda" and nfe < 200
    assert abs(x.var().item() - 0.5) < 0.01
    y = ddim(model, DDPMSchedule(), x_T, steps=1000, eta=0., clip_x0=False)
    assert y.device.type == "cuda" and abs(y.var().item() - 0.5) < 0.01


def test_nll_on_cuda_matches_the_cpu():
    "The PF-ODE NLL in float64 is the same number on both devices (exact divergence)."
    x0 = math.sqrt(0.3) * torch.randn(64, 8, generator=torch.Generator().manual_seed(0), dtype=torch.float64)
    cpu, _ = nll_bpd(gaussian_score(0.3), x0, exact_divergence=True)
    gpu, _ = nll_bpd(gaussian_score(0.3), x0.to(CUDA), exact_divergence=True)
    torch.testing.assert_close(gpu.cpu(), cpu, rtol=1e-6, atol=1e-6)


def test_trainer_on_cuda(tmp_path):
    "K members train on CUDA through both backends to the same losses; bf16 autocast stays finite; checkpoints load on the CPU."
    data = torch.rand(256, 1, 8, 8, generator=torch.Generator().manual_seed(0)) * 2 - 1
    net = dict(kind="DDPMpp", image_size=8, channels=1, nf=16, ch_mult=[1, 2], num_res_blocks=1, attn_resolutions=[4], dropout=0.)
    kw = dict(seeds=(0, 1), batch_size=32, warmup=10, device="cuda")
    loop, batched = Trainer(net, data, **kw), Trainer(net, data, backend="vmap", **kw)
    for _ in range(3): torch.testing.assert_close(loop.train_step(), batched.train_step(), rtol=1e-4, atol=1e-5)
    amp = Trainer(net, data, amp=True, out_dir=tmp_path, **kw)  # loop backend: vmap refuses amp
    losses = torch.stack([amp.train_step() for _ in range(3)])
    assert torch.isfinite(losses).all()
    amp.save_checkpoint()
    ckpt = load_checkpoint(amp.checkpoint_path)
    assert all(v.device.type == "cpu" for v in ckpt["params"].values())
    resumed = Trainer(net, data, amp=True, out_dir=tmp_path, **kw)
    assert resumed.step == 3
    for n, p in amp.params.items(): assert torch.equal(resumed.params[n], p) and resumed.params[n].device.type == "cuda"
