"The paper preset builds: every paper configuration trains one step and samples one step at batch 1 with the paper's networks (FFHQ's lambda = 1 variant: one forward pass); CIFAR-10 from a folder of PNGs, as a user brings it."
import pytest
import torch

from ensdiff.experiments import IMAGE_PRESETS, image_data, image_setup, recipe, sample_images
from ensdiff.train import Trainer, build_score_model

CONFIGS = [(dataset, variant) for dataset in IMAGE_PRESETS["paper"] for variant in ({}, {"init_scale": 1.0})]


@pytest.mark.parametrize("dataset,variant", CONFIGS, ids=[f"{d}-{'lambda1' if v else 'default'}" for d, v in CONFIGS])
def test_paper_configuration_trains_and_samples(dataset, variant, tmp_path):
    torch.manual_seed(0)
    setup = image_setup("paper", dataset)
    rec = recipe(setup, **variant)
    size, channels = {"cifar10": (32, 3), "ffhq": (256, 3)}[dataset]
    if dataset == "ffhq" and variant:  # differs from the default only in its output layer's init; training and sampling at 256x256 are the default's test
        model = build_score_model(rec.net, rec.train.get("objective", "vp"))
        with torch.no_grad(): out = model(torch.rand(1, channels, size, size) * 2 - 1, torch.tensor([0.5]))
        assert out.shape == (1, channels, size, size) and torch.isfinite(out).all() and out.abs().mean() > 0
        return
    images = torch.rand(2, channels, size, size) * 2 - 1
    if dataset == "cifar10":  # the data as a user brings it: a folder of PNGs in train/<class>/ and test/<class>/, read by image_data
        from PIL import Image
        for split in ("train", "test"):
            for k, name in enumerate(("airplane", "cat")):
                (tmp_path / "cifar" / split / name).mkdir(parents=True)
                Image.fromarray(((images[k] + 1) * 127.5).round().byte().permute(1, 2, 0).numpy()).save(tmp_path / "cifar" / split / name / f"{k}.png")
        data = image_data("cifar10", tmp_path / "cifar")
        assert data["train"].shape == (2, 3, 32, 32) and data["train_labels"].tolist() == [0, 3]  # CIFAR-10's class numbers
        assert (data["train"] - images).abs().max() <= 1 / 127.5 + 1e-6  # 8-bit PNGs: within one level
        images = data["train"]
    trainer = Trainer(rec.net, images, seeds=[0], out_dir=tmp_path, **{**rec.train, "batch_size": 1})
    losses = trainer.train_step()
    assert losses.shape == (1,) and torch.isfinite(losses).all()
    trainer.save_checkpoint()
    assert (tmp_path / "checkpoint.pt").exists()
    model = trainer.member(0)
    if dataset == "cifar10": assert sum(p.numel() for p in model.parameters()) == 61_804_419  # score_sde's DDPM++ cont.
    sampler = dict(setup["sampler"], steps=2 if setup["sampler"]["kind"] == "em" else 1)
    x = sample_images(model, 1, (channels, size, size), sampler, progress=False)
    assert x.shape == (1, channels, size, size) and torch.isfinite(x).all()
