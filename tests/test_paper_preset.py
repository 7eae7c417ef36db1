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


def test_truth_paper_configuration_on_a_cifar_folder(tmp_path, monkeypatch):
    "The `truth` experiment's paper preset: its testbed fitted to CIFAR-10 PNGs in a folder, members of the paper's network trained on the testbed's draws, sampled, and their exact score error measured against the testbed's."
    from PIL import Image
    from ensdiff.exact import TimeGrid, score_errors
    from ensdiff.train import ModelStore
    from ensdiff.truth import TRUTH_PRESETS, sample_shape, testbed_of, truth_features, truth_members, truth_recipe, truth_samples, truth_setup
    monkeypatch.setenv("ENSDIFF_CACHE", str(tmp_path / "cache"))
    g = torch.Generator().manual_seed(0)
    for split in ("train", "test"):
        for k, name in enumerate(("airplane", "cat")):  # two clusters of images: dark airplanes, light cats
            (tmp_path / "cifar" / split / name).mkdir(parents=True)
            for i in range(3):
                img = ((0.3 + 0.4 * k + 0.1 * torch.rand(3, 32, 32, generator=g)) * 255).round().byte()
                Image.fromarray(img.permute(1, 2, 0).numpy()).save(tmp_path / "cifar" / split / name / f"{i}.png")
    setup = truth_setup("paper", data_root=str(tmp_path / "cifar"), n_components=2, steps=1, snapshot_every=1, lengths=[1], sizes=[4], K=2,
                        n_samples=1, sampler=dict(kind="em", steps=2), train=dict(TRUTH_PRESETS["paper"]["train"], batch_size=1))
    mix = testbed_of(setup)
    assert mix.shape == (3, 32, 32) and mix.M == 2 and sorted(mix.class_of_component.tolist()) == [0, 3]  # CIFAR-10's airplane and cat
    assert testbed_of(setup).record == mix.record  # fitted once, then read from the user cache
    assert truth_recipe(setup, 4).dataset == "cifar10-mixture2-n4-s1"
    members = truth_members(setup, 4, store=ModelStore(tmp_path / "store"), progress=False)
    assert len(members) == 2 and sum(p.numel() for p in members[0].parameters()) == 61_804_419  # the paper's DDPM++
    x = truth_samples(members[0], setup, dict(model="member 0"), progress=False)
    assert x.shape == (1, *sample_shape(setup)) and torch.isfinite(x).all()
    errors = score_errors({"member 0": members[0]}, mix, TimeGrid(2), n=2)
    assert errors["member 0"].shape == (2, 2) and torch.isfinite(errors["member 0"]).all() and (errors["member 0"] > 0).all()
    assert truth_features(setup)[1] is None  # FID and KID in Inception's features at the paper preset
